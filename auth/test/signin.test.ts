import { setupAuth, buildSignUp, type AuthHarness } from './helpers';

let h: AuthHarness;
beforeAll(async () => {
  h = await setupAuth({ SIGNIN_MAX_FAILURES: '3' });
});
afterAll(async () => {
  await h.db.drop();
});

describe('POST /api/users/signin', () => {
  it('when the credentials are right, then it answers 200 with the user and a cookie', async () => {
    const body = buildSignUp({ username: 'bob' });
    await h.api.post('/api/users/signup').send(body).expect(201);

    const res = await h.api.post('/api/users/signin').send({ email: body.email, password: body.password });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), email: body.email, username: 'bob' });
    expect((res.headers['set-cookie'] as unknown as string[]).join(';')).toMatch(/session=/);
  });

  it('when the email differs only in case, then it still signs in', async () => {
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    const res = await h.api
      .post('/api/users/signin')
      .send({ email: `  ${body.email.toUpperCase()} `, password: body.password });

    expect(res.status).toBe(200);
  });

  it('when the password is wrong or the email unknown, then both answer the same 400 "Invalid credentials"', async () => {
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    const wrongPassword = await h.api
      .post('/api/users/signin')
      .send({ email: body.email, password: 'not the password' });
    const unknownEmail = await h.api
      .post('/api/users/signin')
      .send({ email: `nobody-${Date.now()}@example.test`, password: body.password });

    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(400);
    expect(wrongPassword.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it('when fields are missing or not strings, then it answers 400 naming them', async () => {
    const res = await h.api.post('/api/users/signin').send({ email: ['a'], password: 12 });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password']);
  });

  it('when sign-in keeps failing for one email, then it answers 429 and the right password waits too', async () => {
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    for (let i = 0; i < 3; i++) {
      await h.api
        .post('/api/users/signin')
        .send({ email: body.email, password: `guess-${i}-wrong` })
        .expect(400);
    }
    const limited = await h.api.post('/api/users/signin').send({ email: body.email, password: body.password });

    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].message).toMatch(/Too many failed sign-in attempts/);
  });

  it('when sign-ins succeed, then they do not count toward the limit', async () => {
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    for (let i = 0; i < 6; i++) {
      await h.api.post('/api/users/signin').send({ email: body.email, password: body.password }).expect(200);
    }
  });

  it('when one email is being guessed, then another email from the same client is not limited', async () => {
    const victim = buildSignUp();
    const other = buildSignUp();
    await h.api.post('/api/users/signup').send(victim).expect(201);
    await h.api.post('/api/users/signup').send(other).expect(201);
    for (let i = 0; i < 3; i++)
      await h.api.post('/api/users/signin').send({ email: victim.email, password: 'wrong wrong' });

    await h.api.post('/api/users/signin').send({ email: other.email, password: other.password }).expect(200);
  });
});

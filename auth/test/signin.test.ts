import { useAuth, buildSignUp } from './helpers';

const h = useAuth({ env: { SIGNIN_MAX_FAILURES_PER_ACCOUNT: '3', SIGNIN_MAX_FAILURES_PER_IP: '6' } });

// Each test signs in from its own client address, so the per-address limit of one never touches another.
let addresses = 0;
const freshAddress = () => `192.0.2.${++addresses}`;

describe('POST /api/users/signin', () => {
  it('when the credentials are right, then it answers 200 with the user and a cookie', async () => {
    const ip = freshAddress();
    const body = buildSignUp({ username: 'bob' });
    await h.api.post('/api/users/signup').send(body).expect(201);

    const res = await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', ip)
      .send({ email: body.email, password: body.password });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.any(String), email: body.email, username: 'bob' });
    expect((res.headers['set-cookie'] as unknown as string[]).join(';')).toMatch(/session=/);
  });

  it('when the email differs only in case, then it still signs in', async () => {
    const ip = freshAddress();
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    const res = await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', ip)
      .send({ email: `  ${body.email.toUpperCase()} `, password: body.password });

    expect(res.status).toBe(200);
  });

  it('when the password is wrong or the email unknown, then both answer the same 400 "Invalid credentials"', async () => {
    const ip = freshAddress();
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    const wrongPassword = await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', ip)
      .send({ email: body.email, password: 'not the password' });
    const unknownEmail = await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', ip)
      .send({ email: `nobody-${Date.now()}@example.test`, password: body.password });

    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(400);
    expect(wrongPassword.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it('when fields are missing or not strings, then it answers 400 naming them', async () => {
    const ip = freshAddress();
    const res = await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', ip)
      .send({ email: ['a'], password: 12 });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password']);
  });

  it('when sign-in keeps failing for one email, then it answers 429 and the right password waits too', async () => {
    const ip = freshAddress();
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    for (let i = 0; i < 3; i++) {
      await h.api
        .post('/api/users/signin')
        .set('X-Forwarded-For', ip)
        .send({ email: body.email, password: `guess-${i}-wrong` })
        .expect(400);
    }
    const limited = await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', ip)
      .send({ email: body.email, password: body.password });

    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].message).toMatch(/Too many failed sign-in attempts/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('when many accounts are tried from one client address, then that address is limited (per IP, not only per account)', async () => {
    const address = '203.0.113.7';
    const victims = Array.from({ length: 8 }, () => buildSignUp());
    for (const v of victims) await h.api.post('/api/users/signup').send(v).expect(201);

    const statuses: number[] = [];
    for (const v of victims) {
      const res = await h.api
        .post('/api/users/signin')
        .set('X-Forwarded-For', address)
        .send({ email: v.email, password: 'Winter2026!' });
      statuses.push(res.status);
    }

    // 6 failures per address: the 7th and 8th are refused before any password is checked.
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 429, 429]);
    const fromElsewhere = await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', '198.51.100.99')
      .send({ email: victims[0]?.email, password: victims[0]?.password });
    expect(fromElsewhere.status).toBe(200);
  });

  it('when a client rotates IPv6 addresses inside one /64, then they count as one address', async () => {
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await h.api
        .post('/api/users/signin')
        .set('X-Forwarded-For', `2001:db8:1:2::${(i + 1).toString(16)}`)
        .send({ email: `nobody-${i}-${Date.now()}@example.test`, password: 'guess' });
      statuses.push(res.status);
    }
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('when 20 wrong guesses for one account arrive at once, then at most 3 are checked', async () => {
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.api
          .post('/api/users/signin')
          .set('X-Forwarded-For', `198.18.7.${i}`)
          .send({ email: body.email, password: `parallel-${i}` }),
      ),
    );

    expect(results.filter((r) => r.status === 400)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(17);
  });

  it('when sign-ins succeed, then they do not count toward the limit', async () => {
    const ip = freshAddress();
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    for (let i = 0; i < 6; i++) {
      await h.api
        .post('/api/users/signin')
        .set('X-Forwarded-For', ip)
        .send({ email: body.email, password: body.password })
        .expect(200);
    }
  });

  it('when one email is being guessed, then another email from the same client is not limited', async () => {
    const ip = freshAddress();
    const victim = buildSignUp();
    const other = buildSignUp();
    await h.api.post('/api/users/signup').send(victim).expect(201);
    await h.api.post('/api/users/signup').send(other).expect(201);
    for (let i = 0; i < 3; i++)
      await h.api
        .post('/api/users/signin')
        .set('X-Forwarded-For', ip)
        .send({ email: victim.email, password: 'wrong wrong' });

    await h.api
      .post('/api/users/signin')
      .set('X-Forwarded-For', ip)
      .send({ email: other.email, password: other.password })
      .expect(200);
  });
});

import { buildSignUp, sessionCookie, startAuth, useAuth } from './helpers';

/** Signing in with the credentials works: the account exists as given. */
async function canSignIn(email: string, password: string): Promise<boolean> {
  return (await h.api.post('/api/users/signin').send({ email, password })).status === 200;
}

const h = useAuth();

describe('POST /api/users/signup', () => {
  it('when the input is valid, then it answers 201 with the user and a session cookie', async () => {
    const body = buildSignUp({ username: 'alice' });

    const res = await h.api.post('/api/users/signup').send(body);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), email: body.email, username: 'alice' });
    const setCookie = (res.headers['set-cookie'] as unknown as string[]).join(';');
    expect(setCookie).toMatch(/session=/);
    expect(setCookie.toLowerCase()).toContain('httponly');
    expect(setCookie.toLowerCase()).toContain('samesite=lax');
    expect(await canSignIn(body.email, body.password)).toBe(true);
  });

  it('when no username is given, then it defaults to the local part of the email', async () => {
    const res = await h.api
      .post('/api/users/signup')
      .send(buildSignUp({ email: `carol.smith${Date.now()}@example.test` }));

    expect(res.status).toBe(201);
    expect(res.body.username).toMatch(/^carol\.smith/);
    expect(res.body.username.length).toBeLessThanOrEqual(20);
  });

  it('when the email has capitals, then it is stored lower-cased', async () => {
    const res = await h.api
      .post('/api/users/signup')
      .send(buildSignUp({ email: `Mixed.Case${Date.now()}@Example.TEST` }));

    expect(res.status).toBe(201);
    expect(res.body.email).toBe(res.body.email.toLowerCase());
    expect(await canSignIn(res.body.email, 'correct horse battery')).toBe(true);
  });

  it('when the email is already in use (in any case), then it answers 400 "Email in use"', async () => {
    const body = buildSignUp();
    await h.api.post('/api/users/signup').send(body).expect(201);

    const res = await h.api.post('/api/users/signup').send({ ...body, email: body.email.toUpperCase() });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
  });

  it('when 20 sign-ups with one email race, then exactly one user is created', async () => {
    const body = buildSignUp();

    const results = await Promise.all(Array.from({ length: 20 }, () => h.api.post('/api/users/signup').send(body)));

    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    expect(await canSignIn(body.email, body.password)).toBe(true);
  });

  it.each([
    ['a missing email', { password: 'long enough pw' }, 'email'],
    ['an invalid email', { email: 'not-an-email', password: 'long enough pw' }, 'email'],
    ['an email that is a number', { email: 42, password: 'long enough pw' }, 'email'],
    ['a missing password', { email: 'x@example.test' }, 'password'],
    ['a 7-character password', { email: 'x@example.test', password: '1234567' }, 'password'],
    ['a 129-character password', { email: 'x@example.test', password: 'p'.repeat(129) }, 'password'],
    ['a password that is an object', { email: 'x@example.test', password: { $gt: '' } }, 'password'],
    ['a 1-character username', { email: 'x@example.test', password: 'long enough pw', username: 'a' }, 'username'],
    [
      'a 21-character username',
      { email: 'x@example.test', password: 'long enough pw', username: 'u'.repeat(21) },
      'username',
    ],
  ])('when the body has %s, then it answers 400 naming the field', async (_case, body, field) => {
    const res = await h.api.post('/api/users/signup').send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]),
    );
  });

  it('when the body is not JSON at all, then it answers 400 with a message, not 500', async () => {
    const res = await h.api.post('/api/users/signup').set('Content-Type', 'application/json').send('{"email": nope');

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Malformed JSON in request body' }] });
  });

  it('when the body is a JSON array or null, then it answers 400', async () => {
    for (const junk of ['[]', 'null', '"text"', '123']) {
      const res = await h.api.post('/api/users/signup').set('Content-Type', 'application/json').send(junk);
      expect(res.status).toBe(400);
      expect(Array.isArray(res.body.errors)).toBe(true);
    }
  });

  it('when the body is over 100 kB, then it answers 413', async () => {
    const res = await h.api.post('/api/users/signup').send({ email: 'x@example.test', password: 'p'.repeat(200_000) });

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: [{ message: 'Request body is too large' }] });
  });

  it('when the password has surrounding spaces, then they are kept (not trimmed)', async () => {
    const body = buildSignUp({ password: '  spaced password  ' });
    await h.api.post('/api/users/signup').send(body).expect(201);

    await h.api.post('/api/users/signin').send({ email: body.email, password: 'spaced password' }).expect(400);
    await h.api.post('/api/users/signin').send({ email: body.email, password: body.password }).expect(200);
  });

  it('when a user signs up, then the password appears in no response, no stored field and no log line', async () => {
    const password = `secret-${Date.now()}-pw`;
    const body = buildSignUp({ password });

    const res = await h.api.post('/api/users/signup').send(body);
    const cookie = sessionCookie(res);
    const me = await h.api.get('/api/users/currentuser').set('Cookie', cookie);
    await h.api.post('/api/users/signin').send({ email: body.email, password: 'wrong-password' });

    expect(JSON.stringify(res.body)).not.toContain(password);
    expect(JSON.stringify(me.body)).not.toContain(password);
    // What is stored matters here (a password must never be kept as given): read the store itself.
    const stored = await h.service.deps.models.User.findOne({ email: body.email }).lean();
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(stored?.passwordHash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
    expect(h.logs.text()).not.toContain(password);
    expect(h.logs.text()).not.toContain('wrong-password');
  });
});

describe('sign-ups per client address', () => {
  it('when one address signs up more than SIGNUPS_PER_IP_PER_HOUR times, then the next is 429 with Retry-After; another address is not limited', async () => {
    const local = await startAuth({ env: { SIGNUPS_PER_IP_PER_HOUR: '3' } });
    const address = '203.0.113.50';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await local.api.post('/api/users/signup').set('X-Forwarded-For', address).send(buildSignUp());
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
    }

    expect(statuses).toEqual([201, 201, 201, 429]);
    await local.api.post('/api/users/signup').set('X-Forwarded-For', '203.0.113.51').send(buildSignUp()).expect(201);
    await local.stop();
  });
});

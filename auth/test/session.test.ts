import { newSessionId, signSessionToken } from '@gittix/common/core';
import { signin, testJwtKey } from '@gittix/testing';
import jwt from 'jsonwebtoken';
import { useAuth, buildSignUp, sessionCookie } from './helpers';

const h = useAuth();

function cookieFor(token: string): string[] {
  return [`session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`];
}

describe('GET /api/users/currentuser', () => {
  it('when nobody is signed in, then it answers 200 { currentUser: null }', async () => {
    const res = await h.api.get('/api/users/currentuser');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ currentUser: null });
  });

  it('when signed up, then the cookie identifies the user with iat and exp', async () => {
    const body = buildSignUp({ username: 'dana' });
    const signup = await h.api.post('/api/users/signup').send(body).expect(201);

    const res = await h.api.get('/api/users/currentuser').set('Cookie', sessionCookie(signup));

    expect(res.body.currentUser).toEqual({
      id: signup.body.id,
      email: body.email,
      username: 'dana',
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    // JWT_TTL defaults to 7 days.
    expect(res.body.currentUser.exp - res.body.currentUser.iat).toBe(7 * 24 * 3600);
  });

  it('when the token has expired, then the user is anonymous', async () => {
    const expired = jwt.sign(
      { id: 'a'.repeat(24), email: 'e@example.test', username: 'ee', exp: Math.floor(Date.now() / 1000) - 10 },
      testJwtKey,
    );

    const res = await h.api.get('/api/users/currentuser').set('Cookie', cookieFor(expired));

    expect(res.body).toEqual({ currentUser: null });
  });

  it('when the token is tampered with or signed with another key, then the user is anonymous', async () => {
    const good = signSessionToken(
      { id: 'b'.repeat(24), email: 'f@example.test', username: 'ff' },
      newSessionId(),
      testJwtKey,
      60,
    );
    const [header, , signature] = good.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ id: 'c'.repeat(24), email: 'admin@example.test', username: 'admin', iat: 1, exp: 9999999999 }),
    ).toString('base64url');
    const tampered = `${header}.${forgedPayload}.${signature}`;
    const otherKey = signSessionToken(
      { id: 'b'.repeat(24), email: 'f@example.test', username: 'ff' },
      newSessionId(),
      'another-key-entirely-here-and-long-enough',
      60,
    );
    const noneAlg = jwt.sign({ id: 'd'.repeat(24), email: 'g@example.test', username: 'gg' }, '', {
      algorithm: 'none',
    });

    for (const token of [tampered, otherKey, noneAlg]) {
      const res = await h.api.get('/api/users/currentuser').set('Cookie', cookieFor(token));
      expect(res.body).toEqual({ currentUser: null });
    }
  });

  it('when the cookie is garbage, then the user is anonymous and nothing fails', async () => {
    for (const cookie of [
      'session=%%%not-base64',
      'session=bm90IGpzb24=',
      `session=${Buffer.from('{"jwt":42}').toString('base64')}`,
    ]) {
      const res = await h.api.get('/api/users/currentuser').set('Cookie', [cookie]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ currentUser: null });
    }
  });

  it('when a validly signed token names a session auth never started, then the user is anonymous', async () => {
    // Auth is the authority on its sessions: a token is only as good as the session it names.
    const res = await h.api.get('/api/users/currentuser').set('Cookie', signin({ username: 'forged' }));

    expect(res.body).toEqual({ currentUser: null });
  });

  it('when a token predates session ids (no sid), then the user is anonymous', async () => {
    const legacy = jwt.sign({ id: 'e'.repeat(24), email: 'old@example.test', username: 'old' }, testJwtKey, {
      expiresIn: 60,
    });

    const res = await h.api.get('/api/users/currentuser').set('Cookie', cookieFor(legacy));

    expect(res.body).toEqual({ currentUser: null });
  });
});

describe('POST /api/users/signout', () => {
  it('when signed in, then it answers 200 {} and clears the cookie', async () => {
    const signup = await h.api.post('/api/users/signup').send(buildSignUp()).expect(201);

    const res = await h.api.post('/api/users/signout').set('Cookie', sessionCookie(signup));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const cleared = (res.headers['set-cookie'] as unknown as string[]).join(';');
    expect(cleared).toMatch(/session=;/);
    expect(cleared).toMatch(/expires=Thu, 01 Jan 1970/i);
  });

  it('when a cookie copied before sign-out is sent again, then it is anonymous, and session:revoked was published once', async () => {
    const signup = await h.api.post('/api/users/signup').send(buildSignUp()).expect(201);
    const copied = sessionCookie(signup);
    const before = await h.api.get('/api/users/currentuser').set('Cookie', copied);
    expect(before.body.currentUser.id).toBe(signup.body.id);

    await h.api.post('/api/users/signout').set('Cookie', copied).expect(200);
    await h.api.post('/api/users/signout').set('Cookie', copied).expect(200); // again: nothing more happens

    const after = await h.api.get('/api/users/currentuser').set('Cookie', copied);
    expect(after.body).toEqual({ currentUser: null });
    const revoked = h.bus.eventsOf('session:revoked') as { userId: string; sessionId: string; expiresAt: string }[];
    const mine = revoked.filter((e) => e.userId === signup.body.id);
    expect(mine).toHaveLength(1);
    expect(Date.parse(mine[0]?.expiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('when nobody is signed in, then sign-out answers 200 {} and publishes nothing', async () => {
    const published = h.bus.published.length;

    await h.api.post('/api/users/signout').expect(200, {});

    expect(h.bus.published.length).toBe(published);
  });
});

describe('POST /api/users/signout-everywhere', () => {
  it('when a user is signed in on three devices, then every one of those sessions ends, and only theirs', async () => {
    const body = buildSignUp();
    const signup = await h.api.post('/api/users/signup').send(body).expect(201);
    const devices = [sessionCookie(signup)];
    for (let i = 0; i < 2; i++)
      devices.push(
        sessionCookie(
          await h.api
            .post('/api/users/signin')
            .set('X-Forwarded-For', `192.0.2.${200 + i}`)
            .send(body),
        ),
      );
    const bystander = sessionCookie(await h.api.post('/api/users/signup').send(buildSignUp()).expect(201));

    const res = await h.api.post('/api/users/signout-everywhere').set('Cookie', devices[1] ?? []);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    for (const cookie of devices)
      expect((await h.api.get('/api/users/currentuser').set('Cookie', cookie)).body).toEqual({ currentUser: null });
    expect((await h.api.get('/api/users/currentuser').set('Cookie', bystander)).body.currentUser).not.toBeNull();
    const revoked = (h.bus.eventsOf('session:revoked') as { userId: string }[]).filter(
      (e) => e.userId === signup.body.id,
    );
    expect(revoked).toHaveLength(3);
  });

  it('when nobody is signed in, then it answers 401', async () => {
    const res = await h.api.post('/api/users/signout-everywhere');

    expect(res.status).toBe(401);
    expect(res.body.errors[0].message).toBe('Not authorized');
  });
});

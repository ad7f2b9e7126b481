import { signSessionToken } from '@gittix/common';
import { signin, testJwtKey } from '@gittix/testing';
import jwt from 'jsonwebtoken';
import { setupAuth, buildSignUp, sessionCookie, type AuthHarness } from './helpers';

let h: AuthHarness;
beforeAll(async () => {
  h = await setupAuth();
});
afterAll(async () => {
  await h.db.drop();
});

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
    const good = signSessionToken({ id: 'b'.repeat(24), email: 'f@example.test', username: 'ff' }, testJwtKey, 60);
    const [header, , signature] = good.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ id: 'c'.repeat(24), email: 'admin@example.test', username: 'admin', iat: 1, exp: 9999999999 }),
    ).toString('base64url');
    const tampered = `${header}.${forgedPayload}.${signature}`;
    const otherKey = signSessionToken(
      { id: 'b'.repeat(24), email: 'f@example.test', username: 'ff' },
      'another-key-entirely-here',
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

  it('when the signin() test helper makes a cookie, then the service accepts it', async () => {
    const res = await h.api.get('/api/users/currentuser').set('Cookie', signin({ username: 'helper' }));

    expect(res.body.currentUser.username).toBe('helper');
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
});

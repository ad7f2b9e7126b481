import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import jwt from 'jsonwebtoken';
import { BadRequestError, ForbiddenError, newSessionId } from '../src/core';
import { createHttpApp, parseInput, parseObjectId, requireAuth, signedInUser } from '../src/http';
import { captureLogger, signin, testJwtKey } from '@gittix/testing';

function appWith(routes: Router) {
  const logs = captureLogger('http');
  const app = createHttpApp({
    logger: logs.logger,
    jwtKey: testJwtKey,
    cookieSecure: false,
    isReady: () => true,
    routes,
  });
  return { api: request(app), logs };
}

const routes = Router();
routes.get('/boom', () => {
  throw new Error('database password is hunter2');
});
routes.get('/async-boom', async () => {
  await Promise.resolve();
  throw new TypeError('cannot read properties of undefined');
});
routes.get('/rule', () => {
  throw new BadRequestError('Ticket is already reserved');
});
routes.get('/forbidden', () => {
  throw new ForbiddenError();
});
routes.get('/things/:id', (req, res) => {
  res.json({ id: parseObjectId(req.params.id) });
});
routes.get('/me', requireAuth, (req, res) => {
  res.json({ id: signedInUser(req).id });
});
routes.post('/validate', (req, res) => {
  const body = parseInput(z.object({ title: z.string().min(1), price: z.number().positive() }), req.body);
  res.status(201).json(body);
});

describe('createHttpApp error handling', () => {
  const { api, logs } = appWith(routes);

  it('when a handler throws an unexpected error, then it answers 500 with nothing internal and logs it with the request id', async () => {
    const res = await api.get('/boom').set('x-request-id', 'req-500');

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    const line = logs.lines().find((l) => l.msg === 'unexpected error');
    expect(line).toMatchObject({ requestId: 'req-500', level: 50 });
  });

  it('a request line says what was asked, what was answered and how fast, with no headers and no cookie', async () => {
    await api
      .get('/me?x=1')
      .set('x-request-id', 'req-line')
      .set('Cookie', signin({ id: 'c'.repeat(24) }));

    const line = logs.lines().find((l) => l.requestId === 'req-line' && l.msg === 'request completed');
    expect(line).toMatchObject({ req: { method: 'GET', url: '/me?x=1' }, res: { statusCode: 200 } });
    expect(typeof line?.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toMatch(/headers|session=|cookie/i);
  });

  it('a request id that is not a sane token is replaced; the line of a failed request is an error line', async () => {
    const res = await api.get('/boom').set('x-request-id', 'evil id\twith spaces');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = logs.lines().find((l) => l.requestId === id && l.msg === 'request completed');
    expect(line).toMatchObject({ level: 50, req: { method: 'GET', url: '/boom' }, res: { statusCode: 500 } });
  });

  it('when an async handler rejects, then Express 5 routes it to the same handler', async () => {
    const res = await api.get('/async-boom');

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
  });

  it('when a rule refuses, then the status and message are kept', async () => {
    await api.get('/rule').expect(400, { errors: [{ message: 'Ticket is already reserved' }] });
    await api.get('/forbidden').expect(403, { errors: [{ message: 'Forbidden' }] });
  });

  it('when an id in the path is malformed, then it answers 404, not a cast error', async () => {
    await api.get('/things/not-an-id').expect(404);
    await api.get(`/things/${'a'.repeat(24)}`).expect(200, { id: 'a'.repeat(24) });
  });

  it('when not signed in, then requireAuth answers 401; signed in, the user is known', async () => {
    await api.get('/me').expect(401, { errors: [{ message: 'Not authorized' }] });
    const res = await api.get('/me').set('Cookie', signin({ id: 'b'.repeat(24) }));
    expect(res.body).toEqual({ id: 'b'.repeat(24) });
  });

  it('a token signed with the key as a plain string (as every earlier release did) is still accepted; another key is not', async () => {
    const claims = { id: 'c'.repeat(24), email: 'c@example.test', username: 'cc', sid: newSessionId() };
    const cookie = (token: string) => [`session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`];
    const earlier = jwt.sign(claims, testJwtKey, { algorithm: 'HS256', expiresIn: 60 });
    await api
      .get('/me')
      .set('Cookie', cookie(earlier))
      .expect(200, { id: 'c'.repeat(24) });
    const other = jwt.sign(claims, `${testJwtKey}x`, { algorithm: 'HS256', expiresIn: 60 });
    await api.get('/me').set('Cookie', cookie(other)).expect(401);
  });

  it('a token verified once is not trusted past its expiry, nor under another key', async () => {
    const claims = { id: 'd'.repeat(24), email: 'd@example.test', username: 'dd', sid: newSessionId() };
    const token = jwt.sign(claims, testJwtKey, { algorithm: 'HS256', expiresIn: 60 });
    const cookie = [`session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`];
    // Verified, then served again from what this process remembers.
    await api
      .get('/me')
      .set('Cookie', cookie)
      .expect(200, { id: 'd'.repeat(24) });
    await api
      .get('/me')
      .set('Cookie', cookie)
      .expect(200, { id: 'd'.repeat(24) });
    // The same string is not a session of an app with another key.
    const otherKey = request(
      createHttpApp({ logger: captureLogger('other').logger, jwtKey: `${testJwtKey}y`, isReady: () => true, routes }),
    );
    await otherKey.get('/me').set('Cookie', cookie).expect(401);
    // A minute later the token has expired, remembered or not.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      await api.get('/me').set('Cookie', cookie).expect(401);
    } finally {
      clock.mockRestore();
    }
  });

  it('when several fields are invalid, then there is one entry per field', async () => {
    const res = await api.post('/validate').send({ title: '', price: -1 });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['price', 'title']);
  });

  it('when the JSON is malformed, then 400; too large, then 413', async () => {
    await api
      .post('/validate')
      .set('Content-Type', 'application/json')
      .send('{"title":')
      .expect(400, { errors: [{ message: 'Malformed JSON in request body' }] });
    await api
      .post('/validate')
      .send({ title: 'x'.repeat(200_000), price: 1 })
      .expect(413, { errors: [{ message: 'Request body is too large' }] });
  });

  it('when the route is unknown, then 404 in the error format', async () => {
    await api.delete('/nowhere').expect(404, { errors: [{ message: 'Route not found' }] });
  });

  it('when /readyz is asked and the service is not ready, then 503', async () => {
    const app = createHttpApp({
      logger: captureLogger().logger,
      jwtKey: testJwtKey,
      cookieSecure: false,
      isReady: () => false,
    });
    await request(app).get('/readyz').expect(503);
    await request(app).get('/healthz').expect(200);
  });
});

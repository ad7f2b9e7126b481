import { newSessionId } from '@gittix/common';
import { buildSessionRevokedEvent, buildTicket, buildUser, signin } from '@gittix/testing';
import { setupTickets, type TicketsHarness } from './helpers';

let h: TicketsHarness;
beforeAll(async () => {
  h = await setupTickets();
});
afterAll(async () => {
  await h.db.drop();
});

describe('session:revoked', () => {
  it('when a session is signed out, then its cookie can no longer list tickets, at once, while another session of the user still can', async () => {
    const user = buildUser();
    const sessionId = newSessionId();
    const cookie = signin(user, { sessionId });
    const otherDevice = signin(user);
    await h.api.post('/api/tickets').set('Cookie', cookie).send(buildTicket()).expect(201);

    const { acked } = await h.bus.deliver('session:revoked', buildSessionRevokedEvent({ sessionId, userId: user.id }));
    const refused = await h.api.post('/api/tickets').set('Cookie', cookie).send(buildTicket());

    expect(acked).toBe(true);
    expect(refused.status).toBe(401);
    await h.api.post('/api/tickets').set('Cookie', otherDevice).send(buildTicket()).expect(201);
  });

  it('when the revocation is delivered twice, then the second is a no-op and acked', async () => {
    const event = buildSessionRevokedEvent();

    const first = await h.bus.deliver('session:revoked', event);
    const second = await h.bus.deliver('session:revoked', event, { redelivered: true });

    expect([first.acked, second.acked]).toEqual([true, true]);
    expect(await h.revokedSessions.model.countDocuments({ _id: event.sessionId })).toBe(1);
  });

  it('when another instance stored the revocation, then this one refuses the session within a second', async () => {
    // Another replica of tickets applied the event: only the database knows.
    const user = buildUser();
    const sessionId = newSessionId();
    const cookie = signin(user, { sessionId });
    await h.api.get('/api/tickets').set('Cookie', cookie).expect(200); // cached as live
    await h.api.post('/api/tickets').set('Cookie', cookie).send(buildTicket()).expect(201);
    await h.revokedSessions.model.create({ _id: sessionId, userId: user.id, expiresAt: new Date(Date.now() + 60_000) });

    const started = Date.now();
    let status = 201;
    while (status !== 401 && Date.now() - started < 1000) {
      status = (await h.api.post('/api/tickets').set('Cookie', cookie).send(buildTicket())).status;
    }

    expect(status).toBe(401);
  });

  it('when revocations have expired, then the sweep forgets them and keeps the others', async () => {
    const expired = buildSessionRevokedEvent({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    const live = buildSessionRevokedEvent();
    await h.revokedSessions.apply(expired);
    await h.revokedSessions.apply(live);

    await h.revokedSessions.sweep();

    expect(await h.revokedSessions.model.exists({ _id: expired.sessionId })).toBeNull();
    expect(await h.revokedSessions.model.exists({ _id: live.sessionId })).not.toBeNull();
  });
});

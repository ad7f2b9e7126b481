import { newSessionId } from '@gittix/common/core';
import { buildSessionRevokedEvent, buildTicket, buildUser, signin } from '@gittix/testing';
import { startTestService } from '@gittix/testing/harness';
import { ticketsService } from '../src/service';
import { useTickets } from './helpers';

const h = useTickets();

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

  it('when the revocation is delivered twice, then the second is acked and the session stays refused', async () => {
    const user = buildUser();
    const event = buildSessionRevokedEvent({ userId: user.id });
    const cookie = signin(user, { sessionId: event.sessionId });

    const first = await h.bus.deliver('session:revoked', event);
    const second = await h.bus.deliver('session:revoked', event, { redelivered: true });

    expect([first.acked, second.acked]).toEqual([true, true]);
    await h.api.post('/api/tickets').set('Cookie', cookie).send(buildTicket()).expect(401);
  });

  it('when another instance heard of the revocation, then this one refuses the session within a second', async () => {
    const other = await startTestService(ticketsService, { db: h.db });
    try {
      const user = buildUser();
      const sessionId = newSessionId();
      const cookie = signin(user, { sessionId });
      await h.api.post('/api/tickets').set('Cookie', cookie).send(buildTicket()).expect(201); // cached as live here
      // Only the other replica is told; the shared database is how this one learns.
      await other.bus.deliver('session:revoked', buildSessionRevokedEvent({ sessionId, userId: user.id }));

      const started = Date.now();
      let status = 201;
      while (status !== 401 && Date.now() - started < 1000) {
        status = (await h.api.post('/api/tickets').set('Cookie', cookie).send(buildTicket())).status;
      }

      expect(status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});

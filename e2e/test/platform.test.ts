import request from 'supertest';
import { describeApiJourneys, listTicket, order, signUp } from '../support/api-journeys';
import { removeDataDir, startPlatformProcess, type PlatformProcess } from '../support/platform';

// The whole platform through its one origin, as `npm start` runs it, with a
// 6-second reservation window so expiry can be watched.
const expirationWindowSeconds = 6;
let platform: PlatformProcess;
beforeAll(async () => {
  platform = await startPlatformProcess({ env: { EXPIRATION_WINDOW_SECONDS: String(expirationWindowSeconds) } });
}, 300_000);
afterAll(async () => {
  if (platform) {
    await platform.stop();
    removeDataDir(platform.dataDir);
  }
});

const target = () => ({ url: platform.url, expirationWindowSeconds });

describe('GitTix on one machine (npm start)', () => {
  describeApiJourneys(target);

  it('after a restart, the users, tickets and orders are still there', async () => {
    const seller = await signUp(target(), 'keeper');
    const buyer = await signUp(target(), 'keepbuyer');
    const ticketId = await listTicket(seller.agent);
    const orderId = (await order(buyer.agent, ticketId)).body.id as string;

    expect(await platform.stop()).toBe(0);
    platform = await startPlatformProcess({
      dataDir: platform.dataDir,
      env: { EXPIRATION_WINDOW_SECONDS: String(expirationWindowSeconds) },
    });

    const again = request.agent(platform.url);
    await again.post('/api/users/signin').send({ email: buyer.email, password: buyer.password }).expect(200);
    const stored = await again.get(`/api/orders/${orderId}`);
    expect(stored.status).toBe(200);
    expect(stored.body.ticket.id).toBe(ticketId);
    expect((await request(platform.url).get(`/api/tickets/${ticketId}`)).status).toBe(200);
  });
});

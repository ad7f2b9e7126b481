import { Router } from 'express';
import request from 'supertest';
import { Listener } from '../src/bus';
import type { EventData } from '../src/contracts';
import { defineConfig } from '../src/core';
import { startService, type ServiceContext, type ServiceSpec } from '../src/service';
import { MemoryBus, captureLogger, freePort, newId } from '@gittix/testing';

// The one bootstrap every service runs (index.ts) and every service test starts.

const config = defineConfig({}, {}, () => ({}));
const env = { NATS_URL: 'nats://127.0.0.1:4222', NATS_CLIENT_ID: 'probe-test', PORT: '0' };
type Config = ReturnType<typeof config.load>;

class SeenListener extends Listener<'expiration:complete', string[]> {
  readonly subject = 'expiration:complete' as const;
  readonly queueGroupName = 'probe-service';
  onMessage(data: EventData<'expiration:complete'>): Promise<string> {
    this.deps.push(data.orderId);
    return Promise.resolve('seen');
  }
}

/** A service of the test's making; `wire` records what it opens and closes in `journal`. */
function probeService(
  journal: string[],
  options: { failWire?: boolean; ready?: () => boolean; slowWire?: Promise<void> } = {},
): ServiceSpec<Config, { seen: string[] }> {
  return {
    name: 'probe',
    loadConfig: config.load,
    wire: async (ctx: ServiceContext<Config>) => {
      await options.slowWire; // index builds, the first sweep…
      journal.push('open database');
      ctx.onStop(() => journal.push('close database'));
      journal.push('start sweep');
      ctx.onStop(() => journal.push('stop sweep'));
      if (options.ready) ctx.readyWhen(options.ready);
      if (options.failWire) throw new Error('the database refused the password');
      const seen: string[] = [];
      const routes = Router();
      routes.get('/api/probe', (_req, res) => {
        res.json({ seen });
      });
      return { deps: { seen }, listeners: [new SeenListener(seen)], routes };
    },
  };
}

describe('startService', () => {
  it('when started, then its routes, listeners and probes are live, and the port is bound', async () => {
    const bus = new MemoryBus();
    const logs = captureLogger('probe');
    const service = await startService(probeService([]), { env, bus, logger: logs.logger });
    try {
      const orderId = newId();
      expect((await bus.deliver('expiration:complete', { orderId })).acked).toBe(true);

      const api = request(service.server ?? service.app);
      expect((await api.get('/api/probe')).body).toEqual({ seen: [orderId] });
      await api.get('/readyz').expect(200);
      await api.get('/healthz').expect(200);
      expect((await api.get('/api/nothing')).status).toBe(404);
      expect(logs.lines().some((l) => l.msg === 'probe listening')).toBe(true);
      // Idle connections outlive the proxy's (60 s), so the proxy never reuses one the service is closing.
      const address = service.server?.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const probe = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(probe.headers.get('keep-alive')).toBe('timeout=65');
    } finally {
      await service.stop();
    }
  });

  it('while wire is still at its slow start-up work, the port answers: alive, not ready, and the API says it is starting', async () => {
    let finishWire = () => {};
    const slowWire = new Promise<void>((resolve) => (finishWire = resolve));
    const port = await freePort();
    const starting = startService(probeService([], { slowWire }), {
      env: { ...env, PORT: String(port) },
      bus: new MemoryBus(),
      logger: captureLogger('probe').logger,
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      const healthz = await waitForAnswer(`${url}/healthz`);
      expect(healthz.status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
      const api = await fetch(`${url}/api/probe`);
      expect(api.status).toBe(503);
      expect(await api.json()).toEqual({ errors: [{ message: 'probe is starting up; try again in a moment' }] });
    } finally {
      finishWire();
    }
    const service = await starting;
    try {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/api/probe`)).status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('when something `wire` named is not connected, or the bus is down, then /readyz fails; past the grace, /healthz too', async () => {
    const bus = new MemoryBus();
    let databaseUp = true;
    const service = await startService(probeService([], { ready: () => databaseUp }), {
      env,
      bus,
      listen: false,
      logger: captureLogger().logger,
    });
    try {
      const api = request(service.app);
      await api.get('/readyz').expect(200);

      databaseUp = false;
      const notReady = await api.get('/readyz');
      expect(notReady.status).toBe(503);
      expect(notReady.body.errors[0].message).toMatch(/not connected/);
      databaseUp = true;

      bus.setConnected(false, Date.now() - 5_000);
      await api.get('/readyz').expect(503);
      await api.get('/healthz').expect(200); // it reconnects on its own for a while

      bus.setConnected(true);
      bus.setConnected(false, Date.now() - 61_000); // an outage that began a minute ago
      const dead = await api.get('/healthz');
      expect(dead.status).toBe(503);
      expect(dead.body.errors[0].message).toMatch(/event bus/);

      bus.setConnected(true);
      await api.get('/healthz').expect(200);
      await api.get('/readyz').expect(200);
    } finally {
      await service.stop();
    }
  });

  it('when stopped, then the port is released, the listeners unsubscribe and what wire opened closes in reverse order', async () => {
    const bus = new MemoryBus();
    const journal: string[] = [];
    const service = await startService(probeService(journal), { env, bus, logger: captureLogger().logger });
    const address = service.server?.address();
    if (!address || typeof address === 'string') throw new Error('the service did not bind a port');

    await service.stop();

    expect(journal).toEqual(['open database', 'start sweep', 'stop sweep', 'close database']);
    await expect(bus.deliver('expiration:complete', { orderId: newId() })).rejects.toThrow(/nobody listens/);
    await expect(fetch(`http://127.0.0.1:${address.port}/healthz`)).rejects.toThrow();
    await service.stop(); // a second stop has nothing left to close
    expect(journal).toHaveLength(4);
  });

  it('when wire fails, then what it opened is closed again and the error reaches the caller', async () => {
    const journal: string[] = [];

    await expect(
      startService(probeService(journal, { failWire: true }), {
        env,
        bus: new MemoryBus(),
        logger: captureLogger().logger,
      }),
    ).rejects.toThrow('the database refused the password');
    expect(journal).toEqual(['open database', 'start sweep', 'stop sweep', 'close database']);
  });

  it('when the configuration is invalid, then it fails before opening anything, naming every bad variable', async () => {
    const journal: string[] = [];

    await expect(startService(probeService(journal), { env: { PORT: 'abc' }, bus: new MemoryBus() })).rejects.toThrow(
      /PORT .*NATS_URL is required.*NATS_CLIENT_ID is required|NATS_URL is required.*NATS_CLIENT_ID is required/,
    );
    expect(journal).toEqual([]);
  });
});

/** The first answer of a URL whose server is still binding its port. */
async function waitForAnswer(url: string): Promise<Response> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`${url} never answered`);
}

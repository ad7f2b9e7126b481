// The local gateway of npm start and the containers keeps upstream connections
// open (a new one per request cost more than the proxying), and never sends a
// request on a connection the upstream is about to close: it drops an idle one
// a second before the upstream's `Keep-Alive: timeout=…`. Otherwise a request
// sent at that moment meets a reset, and the client gets a 502.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@gittix/testing';

it('reuses an upstream connection, and drops an idle one before the upstream closes it', async () => {
  const port = await freePort();
  const stdout = execFileSync(
    process.execPath,
    [path.join(__dirname, 'support', 'gateway-keepalive.mjs'), String(port)],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );

  expect(JSON.parse(stdout)).toEqual([
    { status: 200, connections: 1 },
    { status: 200, connections: 1 },
    { status: 200, connections: 2 },
    { status: 200, connections: 2 },
  ]);
});

// Run by infra/test/gateway.test.ts (outside Jest's module system): the local
// gateway (on its own thread, as npm start runs it) in front of an upstream
// whose idle connections close after 2 s (it says `Keep-Alive: timeout=2`).
// Prints, as JSON, how many connections the upstream saw after each request.
import http from 'node:http';
import { startGatewayThread } from '../../local/threads.mjs';
import { loadRoutes } from '../../local/routes.mjs';

const upstream = http.createServer((_req, res) => res.end('ok'));
upstream.keepAliveTimeout = 2000;
let connections = 0;
upstream.on('connection', () => connections++);
await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const target = `http://127.0.0.1:${upstream.address().port}`;
const gateway = await startGatewayThread({
  routes: loadRoutes(),
  targets: { 'tickets-srv': target },
  port: Number(process.argv[2]),
  log: () => {},
});
const seen = [];
const send = async () => {
  const res = await fetch(`http://127.0.0.1:${process.argv[2]}/api/tickets`, { method: 'POST', body: 'x' });
  await res.text();
  seen.push({ status: res.status, connections });
};
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
await send(); // a first connection
await send(); // reused at once
await wait(1500); // past the gateway's idle limit (the hint less a second), before the upstream's
await send(); // so a new connection, never the one the upstream is about to close
await send();
await gateway.close();
await new Promise((resolve) => upstream.close(resolve));
process.stdout.write(JSON.stringify(seen));

#!/usr/bin/env node
// The least a proxy hop costs on this machine: node:http alone, a keep-alive
// agent to the upstream and a pipe each way. No routing, no header rules, no
// error pages. bench/platform.mjs runs it beside the gateway as the gateway's
// ceiling: what any local ingress would add to calling the service directly.
//
//   node bench/bare-proxy.mjs <upstream port>   (prints "ready <port>", a free loopback port)
import http from 'node:http';

const upstreamPort = Number(process.argv[2]);
if (!upstreamPort) {
  console.error('usage: node bench/bare-proxy.mjs <upstream port>');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const server = http.createServer((req, res) => {
  const upstream = http.request(
    { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));

// Serves stripe-stateful-mock on 127.0.0.1 only (its own CLI binds every interface).
// As a script: node stripe-stateful-server.js <port> (the tests' stand-in, a process).
// As a module: serveStripeStateful(port) (npm start runs it on a supervisor thread).
import http from 'node:http';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mock = require('stripe-stateful-mock') as { createExpressApp(): http.RequestListener };

export function serveStripeStateful(port: number): Promise<http.Server> {
  const server = http.createServer(mock.createExpressApp());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

if (require.main === module) {
  void serveStripeStateful(Number(process.argv[2] ?? 12111)).then((server) => {
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

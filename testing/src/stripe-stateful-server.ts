// Runs stripe-stateful-mock on 127.0.0.1 only (its own CLI binds every interface).
// Usage: node stripe-stateful-server.js <port>
import http from 'node:http';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mock = require('stripe-stateful-mock') as { createExpressApp(): http.RequestListener };

const port = Number(process.argv[2] ?? 12111);
const server = http.createServer(mock.createExpressApp());
server.listen(port, '127.0.0.1');
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

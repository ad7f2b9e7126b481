// The stateful Stripe mock GitTix's tests and `npm start` use (stripe-stateful-mock,
// which they start through testing/src/stripe-stateful-server.ts), as a pod runs it:
// on every address of the pod, since the Service stripe-mock-srv reaches it there
// (the test harness binds 127.0.0.1 only), on PORT (12111), and gone at once on
// SIGTERM (its state lives in memory; there is nothing to finish).
'use strict';
const http = require('node:http');
const { createExpressApp } = require('stripe-stateful-mock');

const port = Number(process.env.PORT || 12111);
const server = http.createServer(createExpressApp());
server.listen(port, '0.0.0.0', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'stripe-stateful-mock listening', port })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));

// Tests across running processes: services started as real processes on real
// FerretDB, NATS Streaming, Redis and a Stripe-API server.
const base = require('../jest.config.base')(__dirname, ['mongo', 'nats', 'redis', 'stripeStateful']);
module.exports = { ...base, testTimeout: 120_000, maxWorkers: 1 };

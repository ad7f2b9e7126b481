// One worker: every test file joins the real `expiration-service` queue group on
// the shared NATS Streaming server, and two files at once would take each other's
// order:created messages.
const base = require('../jest.config.base')(__dirname, ['redis', 'nats']);
module.exports = { ...base, maxWorkers: 1 };

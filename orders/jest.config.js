// Component tests run on real FerretDB with a recording bus; the process tests use the real NATS Streaming server.
module.exports = require('../jest.config.base')(__dirname, ['mongo', 'nats', 'redis']);

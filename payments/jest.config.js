module.exports = require('../jest.config.base')(__dirname, ['mongo', 'nats', 'redis', 'stripe', 'stripeStateful']);

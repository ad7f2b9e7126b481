// The container tests (`npm run test:containers`, run by .ci/run): the images
// built with the machine's container engine and the platform run from them. The
// platform starts its own infrastructure, so the Jest global setup starts none.
const base = require('../jest.config.base')(__dirname, []);
module.exports = { ...base, testMatch: ['<rootDir>/containers/**/*.test.ts'], testTimeout: 120_000, maxWorkers: 1 };

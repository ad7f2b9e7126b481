// The cluster tests (`npm run cluster:test`, run by .ci/run): GitTix on the project's
// one-node Kubernetes (infra/cluster), which `npm run cluster:up` brought up and
// deployed. The cluster holds its own infrastructure, so the Jest global setup starts none.
const base = require('../jest.config.base')(__dirname, []);
module.exports = { ...base, testMatch: ['<rootDir>/cluster/**/*.test.ts'], testTimeout: 120_000, maxWorkers: 1 };

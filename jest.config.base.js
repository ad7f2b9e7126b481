// Shared Jest settings: every workspace's jest.config.js calls this with the
// real servers its tests need (started once per run by @gittix/testing).
/** @param {string} rootDir @param {Array<'mongo'|'nats'|'redis'|'stripe'|'stripeStateful'>} gittixInfra */
module.exports = function jestConfig(rootDir, gittixInfra = ['mongo']) {
  return {
    rootDir,
    testEnvironment: 'node',
    // ts-jest transpiles only (tsconfig.test.json has isolatedModules); `npm run typecheck` checks types.
    transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: `${rootDir}/tsconfig.test.json` }] },
    testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/__test__/**/*.test.ts'],
    globalSetup: require.resolve('@gittix/testing/jest-global-setup'),
    globalTeardown: require.resolve('@gittix/testing/jest-global-teardown'),
    globals: { gittixInfra },
    testTimeout: 30_000,
    // Two cores: one worker runs tests while the other serves FerretDB and NATS.
    maxWorkers: process.env.CI ? 2 : '50%',
  };
};

// The client's unit tests: the pure logic of lib/ (no servers, no browser; the
// pages are covered by the browser journeys in e2e/). Deliberately not
// ../jest.config.base, whose global setup starts the services' test servers.
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // ts-jest transpiles only (isolatedModules); `tsc -p client/tsconfig.test.json` checks the types.
  // The app's tsconfig targets the bundler (ES modules); Jest runs CommonJS.
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  // The contracts from their source, through lib/contracts.ts, as the app compiles them (tsconfig.json's `paths`).
  moduleNameMapper: {
    '^@/(.*)$': '<rootDir>/$1',
    '^@gittix/common/contracts$': '<rootDir>/lib/contracts.ts',
  },
  // The build's standalone copy has its own package.json (a haste name collision).
  modulePathIgnorePatterns: ['<rootDir>/.next/'],
  maxWorkers: process.env.CI ? 2 : '50%',
};

// Two projects: unit tests of pure rules (no broker, no store) and integration tests that talk to the
// real Kafka broker and MongoDB-wire store provided by @recycling/testkit's global setup.
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
// jest cannot require ES modules on node 20 (it can from node 24.9): ESM-only dependencies are compiled
// to CommonJS like our sources. Add a package to the list when one needs it.
const esmOnly = ['jose'];
const transformIgnorePatterns = [`/node_modules/(?!(\\.pnpm/)?(${esmOnly.join('|')})[@/])`];
const transform = { '^.+\\.ts$': swc, [`/node_modules/(\\.pnpm/)?(${esmOnly.join('|')})[@/].+\\.js$`]: swc };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/{packages,services,infra,e2e}/**/test/**/*.unit.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,services,infra,e2e}/**/test/**/*.int.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/packages/testkit/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/packages/testkit/src/jest-global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/packages/testkit/src/jest-integration-setup.ts'],
    },
  ],
};

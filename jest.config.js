/**
 * Jest runs TypeScript through ts-jest without type checking (isolatedModules); `npm test` type-checks
 * with tsc first. Without DATABASE_URL the suite runs on an embedded PGlite started in globalSetup,
 * one test file at a time (PGlite runs one query at a time).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', isolatedModules: true, diagnostics: { ignoreCodes: [151002] } }],
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  maxWorkers: process.env.DATABASE_URL ? 2 : 1,
  testTimeout: 30000,
};

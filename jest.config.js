/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Two workers, each with its own database (tests/kit/global-setup.ts): files that run at the
  // same time never share tables, so each can reset them and assert exact counts.
  maxWorkers: 2,
  globalSetup: '<rootDir>/tests/kit/global-setup.ts',
  globalTeardown: '<rootDir>/tests/kit/global-teardown.ts',
  // After each test, the answers it got are checked against the OpenAPI document (tests/kit/openapi-check.ts).
  setupFilesAfterEnv: ['<rootDir>/tests/kit/conformance-hooks.ts'],
  testTimeout: 30000,
};

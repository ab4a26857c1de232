import { assertCurrentTestConforms } from './openapi-check';

// Run in every test file (jest.config.js, setupFilesAfterEnv): a test whose answers, however it got
// them, do not match the OpenAPI document fails, with the answers named.
afterEach(() => assertCurrentTestConforms());

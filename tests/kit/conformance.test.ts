import { execFile } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { ROOT } from './commands';
import { createTestContext, type TestContext } from './context';
import { documentedHealth, undocumentedStatus } from './fixtures/answers';
import { assertCurrentTestConforms, documentConformance } from './openapi-check';

// The OpenAPI conformance check fails the test whose answer broke the document, not the file's afterAll.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const UNDOCUMENTED = /GET \/health → 418: status 418 is not documented for GET \/health/;

describe('the OpenAPI conformance check', () => {
  it('when a role-bound client gets an answer the document does not allow, then the request the test awaits rejects with it', async () => {
    await expect(ctx.clientFor(undocumentedStatus).as('producer').get('/health')).rejects.toThrow(UNDOCUMENTED);
    // Reported once: nothing is left for the check after the test.
    expect(() => assertCurrentTestConforms()).not.toThrow();
  });

  it('when the answer matches the document, then the request resolves and nothing is reported', async () => {
    expect((await ctx.clientFor(documentedHealth).get('/health')).status).toBe(200);
    expect((await ctx.api.get('/health')).status).toBe(200);
    expect(() => assertCurrentTestConforms()).not.toThrow();
  });

  it('when the answer comes another way (plain supertest), then the check after each test throws for this test', async () => {
    const conformance = documentConformance();
    expect((await request(conformance.wrap(undocumentedStatus)).get('/health')).status).toBe(418);
    // What tests/kit/conformance-hooks.ts runs after every test; called here, it consumes the problem.
    expect(() => assertCurrentTestConforms()).toThrow(UNDOCUMENTED);
    expect(() => conformance.assertNone()).not.toThrow();
  });

  it('when a test in a Jest run gets a non-conforming answer, then that test fails and the next one passes', async () => {
    const config = {
      rootDir: ROOT,
      roots: ['<rootDir>/tests/kit/fixtures'],
      testMatch: ['**/conformance.fixture.ts'],
      transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
      setupFilesAfterEnv: ['<rootDir>/tests/kit/conformance-hooks.ts'],
    };
    const jest = path.join(ROOT, 'node_modules/jest/bin/jest.js');
    const stdout = await new Promise<string>((resolve) =>
      execFile(
        process.execPath,
        [jest, '--config', JSON.stringify(config), '--json', '--ci'],
        { cwd: ROOT, timeout: 60_000 },
        (_err, out) => resolve(out),
      ),
    );
    const results = JSON.parse(stdout).testResults[0].assertionResults as { title: string; status: string; failureMessages: string[] }[];
    expect(results.map(({ title, status }) => ({ title, status }))).toEqual([
      { title: 'gets an undocumented status', status: 'failed' },
      { title: 'gets a documented answer', status: 'passed' },
    ]);
    expect(results[0]!.failureMessages.join('\n')).toMatch(UNDOCUMENTED);
    expect(results[0]!.failureMessages.join('\n')).toContain('gets an undocumented status: GET /health');
  }, 60_000);
});

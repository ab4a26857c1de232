import { createTestContext, type TestContext } from '../kit/context';

describe('security headers (helmet, API profile)', () => {
  let dev: TestContext;
  let production: TestContext;
  beforeAll(async () => {
    dev = await createTestContext();
    production = await createTestContext({ config: { env: 'production' } });
  });
  afterAll(async () => {
    await dev.close();
    await production.close();
  });

  it.each([
    ['a public route', '/health', 200],
    ['an error', '/nowhere', 404],
    ['an authorized read', '/actors', 200],
  ])('sets nosniff, DENY framing and no X-Powered-By on %s', async (_label, path, status) => {
    const res = await dev.api.as('assistant').get(path);
    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('sends HSTS in production only', async () => {
    const prod = await production.api.get('/health');
    expect(prod.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const local = await dev.api.get('/health');
    expect(local.headers['strict-transport-security']).toBeUndefined();
  });

  it('keeps a same-origin CSP that lets a docs page load its own scripts and styles, and nothing else', async () => {
    const csp = (await dev.api.get('/health')).headers['content-security-policy'] as string;
    const directives = Object.fromEntries(csp.split(';').map((d) => [d.trim().split(' ')[0], d.trim().split(' ').slice(1).join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(directives['style-src']).toContain("'self'");
    // Upgrading to HTTPS would break the docs page over plain-HTTP development; production has it.
    expect(directives).not.toHaveProperty('upgrade-insecure-requests');
    expect((await production.api.get('/health')).headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('marks answers to requests with a token no-store, and leaves public ones cacheable by default', async () => {
    const authorized = await dev.api.as('assistant').get('/actors');
    expect(authorized.headers['cache-control']).toBe('no-store');
    const unauthorized = await dev.api.get('/actors').set('Authorization', 'Bearer nope');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['cache-control']).toBe('no-store');
    expect((await dev.api.get('/health')).headers['cache-control']).toBeUndefined();
  });
});

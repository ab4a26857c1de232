import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { createApp } from '../../src/app';
import { authSettingsFor } from '../../src/auth/dev-identity';
import { ROLES } from '../../src/auth/permissions';
import { boardFor } from '../../src/board/board.settings';
import { loadConfig } from '../../src/config';
import { createPgDb, type Db } from '../../src/db/db';
import { insertActors, insertMovies, resetTables, testDatabaseUrl, testDeps } from '../kit/context';
import { AUDIENCE } from '../kit/issuer';
import { documentConformance } from '../kit/openapi-check';
import { describeInChromium, expectNoAxeViolations, launchBrowser } from './kit/browser';
import type { Tenant, TenantOptions, TenantUser } from './kit/auth0-tenant.mjs';

/*
 * The casting board signing in through Auth0, offline: a stand-in tenant (oidc-provider, configured
 * as Auth0 behaves: tests/e2e/kit/auth0-tenant.mjs) on loopback, the unmodified @auth0/auth0-spa-js in
 * the page, and the API verifying the tenant's tokens through its normal issuer configuration
 * (ISSUER_BASE_URL, AUDIENCE, AUTH0_CLIENT_ID read by loadConfig, as src/server.ts reads them).
 */
const TENANT_SCRIPT = path.join(__dirname, 'kit/auth0-tenant.mjs');
/** A string only the auth0-spa-js bundle holds (its cache keys' prefix): which script is the library. */
const AUTH0_LIBRARY_MARKER = '@@auth0spajs@@';

const producer = {
  email: 'pat.producer@casting-agency.test',
  password: 'producer-password-1',
  name: 'Pat Producer',
  permissions: ROLES.producer,
} satisfies TenantUser;
const assistant = {
  email: 'ann.assistant@casting-agency.test',
  password: 'assistant-password-1',
  name: 'Ann Assistant',
  permissions: ROLES.assistant,
} satisfies TenantUser;

/**
 * oidc-provider is ESM only, and Jest cannot import ESM into a test file: the tenant runs as a child
 * process that prints where it listens, and stops when its stdin closes.
 */
async function spawnTenant(options: TenantOptions): Promise<Tenant> {
  const child = spawn(process.execPath, [TENANT_SCRIPT, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(() => reject(new Error('the stand-in tenant exited before it listened')));
  });
  const { issuer, origin, clientId } = JSON.parse(line) as Omit<Tenant, 'close'>;
  return {
    issuer,
    origin,
    clientId,
    close: () => {
      child.stdin.end();
      return exited;
    },
  };
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The environment a deployment with Auth0 sign-in sets (NODE_ENV test: production refuses an http issuer). */
const auth0Environment = (tenant: Tenant) => ({
  NODE_ENV: 'test',
  ISSUER_BASE_URL: tenant.issuer,
  AUDIENCE,
  AUTH0_CLIENT_ID: tenant.clientId,
});

const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

/** `connect-src` and the like, each with its sources. */
const cspDirectives = (header: string | undefined) =>
  new Map(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
      .map(([name, ...sources]) => [name, sources]),
  );

type ApiAnswer = { path: string; status: number; token: string };

/** Every answer the API gave the page to a request that carried a bearer token. */
function recordApiAnswers(page: Page, baseUrl: string): ApiAnswer[] {
  const answers: ApiAnswer[] = [];
  page.on('response', (response: Response) => {
    const authorization = response.request().headers()['authorization'];
    if (!response.url().startsWith(baseUrl) || !authorization?.startsWith('Bearer ')) return;
    answers.push({ path: new URL(response.url()).pathname, status: response.status(), token: authorization.slice('Bearer '.length) });
  });
  return answers;
}

/** Every request the page sent to the tenant, as `METHOD /path` (plus the grant type of token requests). */
function recordTenantRequests(page: Page, tenantOrigin: string): string[] {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(tenantOrigin)) return;
    const grant = request.method() === 'POST' ? new URLSearchParams(request.postData() ?? '').get('grant_type') : null;
    requests.push(`${request.method()} ${new URL(request.url()).pathname}${grant ? ` ${grant}` : ''}`);
  });
  return requests;
}

/** The scripts the page loaded from the app, with their text. */
function recordScripts(page: Page): Map<string, Promise<string>> {
  const scripts = new Map<string, Promise<string>>();
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    const text = response.text();
    // A body that is gone (the page navigated on) is only a failure if a check reads it.
    text.catch(() => undefined);
    scripts.set(response.url(), text);
  });
  return scripts;
}

const scriptsHolding = async (scripts: Map<string, Promise<string>>, marker: string) => {
  const holding: string[] = [];
  for (const [url, text] of scripts) if ((await text).includes(marker)) holding.push(url);
  return holding;
};

/** Universal Login, as a person does it. */
async function signInAtTenant(page: Page, tenant: Tenant, user: TenantUser): Promise<void> {
  await page.waitForURL((url) => url.origin === tenant.origin);
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** What an assistant must not be offered (the API would refuse it anyway). */
async function expectNoWriteControls(page: Page): Promise<void> {
  for (const name of ['Add actor', 'Add movie', 'Edit', 'Delete', 'Add to cast', 'Remove']) {
    expect({ name, count: await page.getByRole('button', { name, exact: true }).count() }).toEqual({ name, count: 0 });
  }
}

/**
 * auth0-spa-js keeps the access token in local storage with its expiry: marking it expired makes the
 * next page load renew it the way a day-old session would, with the refresh token.
 */
const expireCachedAccessTokens = (page: Page) =>
  page.evaluate((marker) => {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(marker) || key.endsWith('@@user@@')) continue;
      const entry = JSON.parse(localStorage.getItem(key) ?? '{}') as { expiresAt?: number };
      localStorage.setItem(key, JSON.stringify({ ...entry, expiresAt: 0 }));
    }
  }, AUTH0_LIBRARY_MARKER);

/** The refresh token auth0-spa-js keeps for the API. */
const cachedRefreshToken = (page: Page) =>
  page.evaluate((marker) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith(marker) && !k.endsWith('@@user@@'));
    return (JSON.parse(localStorage.getItem(key ?? '') ?? '{}') as { body?: { refresh_token?: string } }).body?.refresh_token;
  }, AUTH0_LIBRARY_MARKER);

const auth0Entries = (page: Page) =>
  page.evaluate((marker) => Object.keys(localStorage).filter((k) => k.startsWith(marker)), AUTH0_LIBRARY_MARKER);

describeInChromium('The casting board with Auth0 sign-in (a stand-in tenant on loopback)', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'casting-board-auth0-'));
  const server = createServer();
  const devServer = createServer();
  let db: Db;
  let tenant: Tenant;
  let browser: BrowserContext;
  let baseUrl = '';
  let devUrl = '';
  // Every answer the page gets is checked against the OpenAPI document, as in every other test.
  const conformance = documentConformance();

  beforeAll(async () => {
    db = createPgDb({ url: testDatabaseUrl(), max: 4 });
    await resetTables(db);
    await insertActors(db, { name: 'Kevin Costner', age: 69, gender: 'male' });
    await insertMovies(db, { title: 'The Prestige', release_date: '2006-10-20' });
    // The tenant must know the app's address (its callback URL) and the app the tenant's (its issuer).
    baseUrl = await listen(server);
    [tenant, browser, devUrl] = await Promise.all([
      spawnTenant({ appOrigin: baseUrl, audience: AUDIENCE, users: [producer, assistant] }),
      launchBrowser(scratch),
      listen(devServer),
    ]);
    const config = loadConfig(auth0Environment(tenant));
    const logger = pino({ level: 'silent' });
    server.on(
      'request',
      conformance.wrap(createApp({ ...testDeps(), db, auth: authSettingsFor(config), board: boardFor(config), logger })),
    );
    // Development mode, for the check that it never downloads the Auth0 library.
    const devConfig = loadConfig({ NODE_ENV: 'development', DEV_KEY_FILE: path.join(scratch, 'dev-key.pem') });
    devServer.on(
      'request',
      conformance.wrap(createApp({ ...testDeps(), db, auth: authSettingsFor(devConfig), board: boardFor(devConfig), logger })),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([closeServer(server), closeServer(devServer), tenant?.close()]);
    await db?.close();
    rmSync(scratch, { recursive: true, force: true });
    // The backstop for answers outside any test.
    conformance.assertNone();
  });

  it('serves Auth0 sign-in settings, and a CSP that lets the page reach the tenant', async () => {
    const settings = await fetch(`${baseUrl}/app/config.json`).then((r) => r.json());
    expect(settings).toEqual({ mode: 'auth0', domain: tenant.origin, clientId: tenant.clientId, audience: AUDIENCE });
    const csp = cspDirectives((await fetch(`${baseUrl}/app/`)).headers.get('content-security-policy') ?? undefined);
    expect(csp.get('connect-src')).toEqual(expect.arrayContaining(["'self'", tenant.origin]));
    expect(csp.get('frame-src')).toEqual(expect.arrayContaining([tenant.origin]));
    expect(csp.get('script-src')).not.toContain(tenant.origin);
  });

  it('logs in at Universal Login, comes back to the same screen, stays signed in on reload, and signs out of Auth0 too', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const answers = recordApiAnswers(page, baseUrl);
    const tenantRequests = recordTenantRequests(page, tenant.origin);
    const scripts = recordScripts(page);

    // Signed out, on the movies list someone shared: the sign-in screen.
    await page.goto(`${baseUrl}/app/movies?q=prestige`);
    const logIn = page.getByRole('button', { name: 'Log in' });
    await logIn.waitFor();
    await expectNoAxeViolations(page, 'Auth0 sign-in');
    expect(await scriptsHolding(scripts, AUTH0_LIBRARY_MARKER)).toHaveLength(1);

    // Universal Login as the producer, then back on the same screen, signed in.
    await logIn.click();
    await signInAtTenant(page, tenant, producer);
    await page.waitForURL(`${baseUrl}/app/movies?q=prestige`);
    await page.getByText('Executive Producer').first().waitFor();
    await page.getByText('auth0|pat.producer').first().waitFor();
    await page.getByRole('button', { name: 'Add movie' }).waitFor();
    await page.getByText('The Prestige').first().waitFor();
    await expectNoAxeViolations(page, 'movies list, signed in through Auth0 as the producer');

    // The API verified the tenant's token (RS256, its keys fetched from the tenant) for real.
    const producerAnswers = answers.filter((a) => a.status === 200);
    expect(producerAnswers.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 401 || a.status === 403)).toEqual([]);
    const producerToken = producerAnswers[0]!.token;
    expect(claimsOf(producerToken)).toMatchObject({
      iss: tenant.issuer,
      aud: AUDIENCE,
      sub: 'auth0|pat.producer',
      permissions: [...producer.permissions],
    });
    const me = await fetch(`${baseUrl}/me`, { headers: { authorization: `Bearer ${producerToken}` } });
    expect(await me.json()).toEqual({ success: true, sub: 'auth0|pat.producer', permissions: [...producer.permissions].sort() });

    // A reload a day later: still signed in, the token renewed with the refresh token, no login page.
    const refreshToken = await cachedRefreshToken(page);
    expect(refreshToken).toEqual(expect.any(String));
    await expireCachedAccessTokens(page);
    tenantRequests.length = 0;
    const renewed = page.waitForResponse((r) => r.url().startsWith(baseUrl) && r.request().headers()['authorization'] !== undefined);
    await page.reload();
    await page.getByText('Executive Producer').first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(tenantRequests).toEqual(['POST /oauth/token refresh_token']);
    const afterReload = await renewed;
    expect(afterReload.status()).toBe(200);
    expect(afterReload.request().headers()['authorization']).not.toBe(`Bearer ${producerToken}`);
    // Rotation: the refresh token was used once and replaced.
    expect(await cachedRefreshToken(page)).not.toBe(refreshToken);

    // Sign out ends the Auth0 session as well and comes back to /app/, signed out.
    tenantRequests.length = 0;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/app/`);
    await logIn.waitFor();
    expect(tenantRequests).toEqual(['GET /v2/logout', 'POST /v2/logout/confirm']);
    expect(await auth0Entries(page)).toEqual([]);

    // So the next Log in asks for credentials again; the assistant signs in and sees only reads.
    await logIn.click();
    await page.getByLabel('Password').waitFor();
    await signInAtTenant(page, tenant, assistant);
    await page.waitForURL(`${baseUrl}/app/`);
    await page.getByText('Casting Assistant').first().waitFor();
    await page.getByRole('link', { name: 'Actors' }).click();
    await page.getByRole('link', { name: 'Kevin Costner' }).waitFor();
    await expectNoWriteControls(page);
    await page.getByRole('link', { name: 'Movies' }).click();
    await page.getByRole('link', { name: 'The Prestige' }).click();
    await page.getByRole('heading', { name: 'The Prestige' }).waitFor();
    await expectNoWriteControls(page);

    // The API refuses the assistant's token what its permissions do not allow.
    const assistantToken = answers.filter((a) => a.status === 200).at(-1)!.token;
    expect(claimsOf(assistantToken)).toMatchObject({ sub: 'auth0|ann.assistant', permissions: [...assistant.permissions] });
    const write = await fetch(`${baseUrl}/movies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${assistantToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Not by an assistant', release_date: '2024-01-01' }),
    });
    expect(write.status).toBe(403);
    await page.close();
  });

  it('never downloads the Auth0 library in development mode', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const scripts = recordScripts(page);
    await page.goto(`${devUrl}/app/`);
    await page.getByRole('button', { name: 'Executive Producer' }).waitFor();
    expect(scripts.size).toBeGreaterThan(0);
    expect(await scriptsHolding(scripts, AUTH0_LIBRARY_MARKER)).toEqual([]);
    await page.close();
  });
});

import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp, type AppDeps } from '../../../src/app';
import type { AuthSettings } from '../../../src/auth/authenticate';
import { DEV_AUDIENCE, DEV_ISSUER, authSettingsFor, devToken, loadOrCreateDevKey } from '../../../src/auth/dev-identity';
import { roleClaims, signJwt } from '../../../src/auth/tokens';
import { loadConfig } from '../../../src/config';
import type { Role } from '../../../src/auth/permissions';
import { AUDIENCE } from '../../kit/issuer';
import { createTestContext, issuerAuth, testBoard, type TestContext, testDeps } from '../../kit/context';

/*
 * What every browser test shares: Debian's Chromium (never a downloaded one) driven by
 * playwright-core, the real app on this worker's test database, and axe-core's default rules.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SKIP_REASON = `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run installs it)`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe`, or a skipped one that says why when Chromium is missing (like tests/e2e/docs.test.ts). */
export function describeInChromium(name: string, body: () => void): void {
  if (hasChromium) describe(name, body);
  else describe.skip(name, () => it(`skipped: ${SKIP_REASON}`, () => undefined));
}

/** A fresh profile in `dir` (launchPersistentContext is how Playwright passes --user-data-dir). */
export const launchBrowser = (dir: string): Promise<BrowserContext> =>
  chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });

/** Runs axe-core (default rules: WCAG A/AA and best practices) and fails naming each violation and its nodes. */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const readable = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
  );
  expect({ screen, violations: readable }).toEqual({ screen, violations: [] });
}

export type BoardMode = 'development' | 'token';

export type Board = {
  ctx: TestContext;
  baseUrl: string;
  browser: BrowserContext;
  /** A scratch folder for this file (profile, keys, screenshots); removed by `close`. */
  scratch: string;
  /** A development token for the role (development mode), else one from the test issuer. */
  token(role: Role): string;
  /** The same, expired a minute ago. */
  expiredToken(role: Role): string;
  /** Requests the page made to anywhere but the app (must stay empty: no CDN). */
  outside: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
};

export type BoardOptions = {
  /** `development`: dev tokens accepted; `token`: the test issuer without an Auth0 client id. */
  mode?: BoardMode;
  /** Replaces the auth settings (a stand-in Auth0 tenant's, say); pass the matching `deps.board` too. */
  auth?: AuthSettings;
  /** Other dependencies of createApp to replace (`board: testBoard({ … AUTH0_CLIENT_ID })` for Auth0 mode). */
  deps?: Partial<AppDeps>;
};

/** The app (with the board at /app/) on this worker's test database, on 127.0.0.1, and a browser. */
export async function startBoard({ mode = 'development', auth, deps = {} }: BoardOptions = {}): Promise<Board> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'casting-board-e2e-'));
  const ctx = await createTestContext();
  await ctx.reset();
  const keyFile = path.join(scratch, 'dev-signing-key.pem');
  const devKey = mode === 'development' ? loadOrCreateDevKey(keyFile) : '';
  // Built the way src/server.ts builds them from an environment: development sign-in, or an issuer without AUTH0_CLIENT_ID.
  const env = mode === 'development' ? { DEV_KEY_FILE: keyFile } : { ISSUER_BASE_URL: ctx.issuer.url, AUDIENCE };
  const settings =
    auth ?? (mode === 'development' ? authSettingsFor(loadConfig({ NODE_ENV: 'test', ...env })) : issuerAuth(ctx.issuer.url));
  const app = createApp({
    ...testDeps(),
    board: testBoard(env),
    db: ctx.db,
    auth: settings,
    logger: pino({ level: 'silent' }),
    ...deps,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser(scratch);
  const outside: string[] = [];
  return {
    ctx,
    baseUrl,
    browser,
    scratch,
    outside,
    token: (role) => (mode === 'development' ? devToken(role, devKey) : ctx.issuer.token(role)),
    expiredToken: (role) =>
      mode === 'development'
        ? signJwt(roleClaims({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, role, ttlSeconds: -60 }), devKey)
        : ctx.issuer.sign(ctx.issuer.claims(role, { exp: Math.floor(Date.now() / 1000) - 60 })),
    async newPage() {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      page.on('request', (r) => void (r.url().startsWith(baseUrl) || r.url().startsWith('data:') || outside.push(r.url())));
      return page;
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await ctx.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** The page's text with runs of spaces (no-break ones too) made one space, to compare with what a person reads. */
export const textOf = async (page: Page, selector = 'body'): Promise<string> =>
  (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

/** The accessible name's holder of the focused element, for "focus moved to the heading" checks. */
export const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim()}` : '';
  });

/**
 * `focused(page)` once it is `expected`, or whatever it is after `timeoutMs`. The board moves the
 * focus in an effect, after the screen is painted, so a check made as soon as the heading or the
 * dialog is visible could read <body> (it did, in two clean-clone CI runs).
 */
export async function settledFocus(page: Page, expected: string, timeoutMs = 2_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await focused(page);
    if (now === expected || Date.now() > deadline) return now;
    await page.waitForTimeout(20);
  }
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `target` has the focus: proof that the keyboard
 * alone reaches it. Fails after `max` presses.
 */
export async function tabTo(page: Page, target: ReturnType<Page['locator']>, { max = 60, backwards = false } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab did not reach ${String(target)} in ${max} presses`);
}

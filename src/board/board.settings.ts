import path from 'node:path';
import { ConfigError, type Config } from '../config';
import { devToken, loadOrCreateDevKey } from '../auth/dev-identity';
import type { Role } from '../auth/permissions';

/**
 * How the web app signs people in, as `GET /app/config.json` tells it: with development tokens, with
 * Auth0's Universal Login (`domain` is the tenant's origin, scheme included, no trailing slash:
 * auth0-spa-js puts `https://` before a bare host and builds `//authorize` from a slash), or, with an
 * issuer but no client id, by pasting a token.
 */
export type SignIn = { mode: 'development' } | { mode: 'auth0'; domain: string; clientId: string; audience: string } | { mode: 'token' };

/** What serving the casting board needs: where its build is, and how it signs people in. */
export type Board = Readonly<{
  /** The Vite build: `index.html` and `assets/` (scripts/web-build.js writes it). */
  webDir: string;
  signIn: SignIn;
  /** Signs a development token for a role (POST /app/dev-token); `null` wherever development tokens are not accepted. */
  devToken: ((role: Role) => string) | null;
}>;

/** Where scripts/web-build.js puts the build: dist/web, from src/board and dist/board alike. */
export const WEB_BUILD_DIR = path.resolve(__dirname, '../../dist/web');

/** The settings the board reads. */
export type BoardConfig = Pick<Config, 'env' | 'auth' | 'auth0ClientId' | 'devKeyFile'>;

/** The board of a server that accepts development tokens signed with this key (the one its auth settings verify with). */
export const developmentBoard = (privateKeyPem: string, webDir: string = WEB_BUILD_DIR): Board => ({
  webDir,
  signIn: { mode: 'development' },
  devToken: (role) => devToken(role, privateKeyPem),
});

/**
 * The board as the configuration says: Auth0 or token sign-in with an issuer, development sign-in
 * without one (the same key file authSettingsFor reads, so the tokens it signs are accepted).
 */
export function boardFor(config: BoardConfig, webDir: string = WEB_BUILD_DIR): Board {
  if (config.auth) {
    const { issuerBaseURL, audience } = config.auth;
    const signIn: SignIn = config.auth0ClientId
      ? { mode: 'auth0', domain: new URL(issuerBaseURL).origin, clientId: config.auth0ClientId, audience }
      : { mode: 'token' };
    return { webDir, signIn, devToken: null };
  }
  if (config.env === 'production') {
    throw new ConfigError('NODE_ENV=production never accepts development tokens: set ISSUER_BASE_URL and AUDIENCE');
  }
  return developmentBoard(loadOrCreateDevKey(config.devKeyFile), webDir);
}

/** The Auth0 tenant's origin, which the page's CSP must let it talk to and frame; `null` in the other modes. */
export const tenantOriginOf = (signIn: SignIn): string | null => (signIn.mode === 'auth0' ? signIn.domain : null);

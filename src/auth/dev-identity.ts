import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config';
import type { AuthResult } from 'express-oauth2-jwt-bearer';
import type { AuthSettings } from './authenticate';
import { tokenCacheOf, type TokenCache } from './token-cache';
import type { Role } from './permissions';
import { roleClaims, signJwt } from './tokens';

/**
 * Local development without Auth0: tokens signed by a key pair this machine creates once and keeps
 * under `.data/` (mode 600, git-ignored), verified by the same express-oauth2-jwt-bearer middleware
 * (`issuer` + `publicKey`). Only when no issuer is configured and NODE_ENV is not production.
 */
export const DEV_ISSUER = 'urn:casting-agency:dev';
export const DEV_AUDIENCE = 'casting-agency-dev';

const OWNER_ONLY = 0o600;

const readKey = (file: string): string => {
  // A key another user can read is a key anyone on the machine can sign with.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
  return readFileSync(file, 'utf8');
};

/**
 * Several processes may start at once (`WEB_CONCURRENCY` workers, `npm run token` beside the
 * server), so the key is published atomically: written whole to a private temporary file, then
 * hard-linked to its name, which fails if another process got there first (their key is used).
 * Creating the name itself with `wx` and then writing would let a concurrent reader see it empty.
 */
export function loadOrCreateDevKey(file: string): string {
  try {
    return readKey(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, pem, { mode: OWNER_ONLY, flag: 'wx' });
  try {
    linkSync(draft, file);
    return pem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKey(file);
    throw err;
  } finally {
    rmSync(draft, { force: true });
  }
}

export function devAuthSettings(privateKeyPem: string, tokenCache: TokenCache<AuthResult>): AuthSettings {
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
  return { kind: 'key', issuer: DEV_ISSUER, audience: DEV_AUDIENCE, publicKey, tokenCache };
}

/** A 24 h token for the role, with the permissions Auth0 RBAC would put in it. */
export const devToken = (role: Role, privateKeyPem: string): string =>
  signJwt(roleClaims({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, role }), privateKeyPem);

/** The settings that decide how tokens are verified; the fetch deadline only matters with an issuer. */
export type AuthConfig = Pick<Config, 'env' | 'devKeyFile' | 'tokenCacheSize'> &
  ({ auth: null } | Pick<Config, 'auth' | 'authFetchTimeoutMs'>);

/**
 * The issuer when one is configured; development tokens otherwise. config.ts already refuses
 * production without an issuer; this refuses again so no variable can turn dev tokens on there.
 */
export function authSettingsFor(config: AuthConfig): AuthSettings {
  const tokenCache = tokenCacheOf<AuthResult>(config.tokenCacheSize);
  if (config.auth) {
    return { kind: 'issuer', ...config.auth, keyFetch: { timeoutMs: config.authFetchTimeoutMs }, tokenCache };
  }
  if (config.env === 'production') {
    throw new ConfigError('NODE_ENV=production never accepts development tokens: set ISSUER_BASE_URL and AUDIENCE');
  }
  return devAuthSettings(loadOrCreateDevKey(config.devKeyFile), tokenCache);
}

/** The one line `npm start` prints in development mode. */
export const devModeHint = (port: number): string =>
  `development tokens accepted (no ISSUER_BASE_URL/AUDIENCE): get one with \`npm run token -- producer\` ` +
  `(or assistant, director), then try the API at http://localhost:${port}/docs`;

import { generateKeyPairSync, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuthSettings } from './authenticate';

/**
 * Local development without Auth0: tokens signed by a key pair this machine creates once and keeps
 * under `.data/` (mode 600, git-ignored). Only used when no issuer is configured and NODE_ENV is
 * not production (src/server.ts decides; config.ts makes production without an issuer impossible).
 */
export const DEV_ISSUER = 'urn:casting-agency:dev';
export const DEV_AUDIENCE = 'casting-agency-dev';
export const DEV_KEY_FILE = path.join('.data', 'dev-signing-key.pem');

export function loadOrCreateDevKey(file = DEV_KEY_FILE): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(path.dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  return pem;
}

export function devAuthSettings(privateKeyPem: string): AuthSettings {
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
  return { kind: 'key', issuer: DEV_ISSUER, audience: DEV_AUDIENCE, publicKey };
}

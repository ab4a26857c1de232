import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { ROLES, type Role } from './permissions';

const base64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/** A compact RS256 JWS, as Auth0 issues them: `crypto.sign('sha256', …)` with an RSA key is RS256. */
export function signJwt(payload: Record<string, unknown>, privateKey: KeyObject | string, kid?: string): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) };
  const input = `${base64url(header)}.${base64url(payload)}`;
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`;
}

export type RoleTokenOptions = { issuer: string; audience: string; role: Role; ttlSeconds?: number; sub?: string };

/** The claims an Auth0 access token carries for a user with this role, under RBAC. */
export function roleClaims({ issuer, audience, role, ttlSeconds = 24 * 3600, sub }: RoleTokenOptions) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: issuer, sub: sub ?? `dev|${role}`, aud: audience, iat: now, exp: now + ttlSeconds, permissions: [...ROLES[role]] };
}

import type { Request } from 'express';
import { ErrorCode, HttpError } from '../http/errors';
import { KeysUnavailableError, type IssuerKeys, type KeySet } from './issuer-keys';
import type { VerifyToken } from './jwt-verifier';

/** Verifies a request's token with a given key set (jwt-verifier.ts with that set as its key). */
export type VerifierFor = (keySet: KeySet) => VerifyToken;

const NO_KEYS: KeySet = { keys: [] };

const headerOf = (segment: string): Record<string, unknown> | undefined => {
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null ? (header as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The key a request's token asks for, read from its header without trusting it: `undefined` when no
 * key of the issuer could verify it (no `Bearer <token>` the way the verifier reads the header, not a
 * three-part JWT, not RS256), so the verifier refuses it without the issuer's keys.
 */
export function signingKeyOf(req: Request): { kid: string | undefined } | undefined {
  const parts = (req.headers.authorization ?? '').split(' ');
  if (parts.length !== 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  const segments = parts[1]!.split('.');
  if (segments.length !== 3) return undefined;
  const header = headerOf(segments[0]!);
  if (header?.alg !== 'RS256') return undefined;
  return { kid: typeof header.kid === 'string' ? header.kid : undefined };
}

const unavailable = (err: KeysUnavailableError) => {
  const seconds = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
  const message = `The token cannot be checked now: the issuer's signing keys cannot be fetched; try again after ${seconds} s`;
  return new HttpError(503, ErrorCode.authUnavailable, message, undefined, { 'Retry-After': String(seconds) }, err.cause);
};

/**
 * Verifies a request's token with the issuer's keys, fetching them first when they are not in memory
 * (within the fetch deadline). When they cannot be had the answer is 503 `auth_unavailable` with
 * `Retry-After`, not 401: the token may well be good. `canVerifyNow` tells whether no fetch is needed.
 */
export function issuerVerifier(keys: IssuerKeys, verifierFor: VerifierFor) {
  const refuse = verifierFor(NO_KEYS);
  const verify: VerifyToken = async (req, res) => {
    const key = signingKeyOf(req);
    if (key === undefined) return refuse(req, res);
    const keySet = await keys.forKid(key.kid).catch((err: unknown) => {
      throw err instanceof KeysUnavailableError ? unavailable(err) : err;
    });
    return verifierFor(keySet)(req, res);
  };
  const canVerifyNow = (req: Request): boolean => {
    const key = signingKeyOf(req);
    return key === undefined || keys.ready(key.kid) !== undefined;
  };
  return { verify, canVerifyNow };
}

import type { JWTPayload } from 'express-oauth2-jwt-bearer';

/**
 * What the verifier library lets through when the issuer's signature is good: an `iat` in the
 * future (it only checks that `iat` is a number), an `exp` of `1e309` (JSON reads it as Infinity, so
 * the token never expires), and no `sub`. Every caller here is someone: the subject keys the rate limits
 * and names the caller in the logs. A token with such claims is refused (jwt-verifier.ts).
 */
export function claimsProblem(payload: JWTPayload, clockToleranceS: number, nowMs = Date.now()): string | undefined {
  if (typeof payload.sub !== 'string' || payload.sub === '') return "The token has no 'sub' claim";
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return "The token's 'exp' claim is not a finite number";
  const iat = payload.iat;
  if (iat !== undefined && !(Number.isFinite(iat) && iat <= nowMs / 1000 + clockToleranceS)) {
    return "The token's 'iat' claim is in the future";
  }
  return undefined;
}

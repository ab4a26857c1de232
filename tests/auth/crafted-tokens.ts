import { createPrivateKey, sign } from 'node:crypto';
import { KEY_ENV } from '../kit/issuer';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The header the test issuer signs with (tests/kit/issuer.ts), as JSON text. */
export const issuerHeader = (kid: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, ...extra });

/**
 * A token made of the exact JSON texts given, signed with the test issuer's key: JSON.stringify cannot
 * write `1e309` (which JSON.parse reads as Infinity), and a crafted header is best written by hand.
 */
export function signRaw(headerJson: string, payloadJson: string): string {
  const pem = process.env[KEY_ENV.issuer];
  if (!pem) throw new Error(`${KEY_ENV.issuer} is not set: run the tests through jest (tests/kit/global-setup.ts)`);
  const input = `${b64(headerJson)}.${b64(payloadJson)}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(pem)).toString('base64url')}`;
}

import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Role } from '../../src/auth/permissions';
import { roleClaims, signJwt } from '../../src/auth/tokens';

export const AUDIENCE = 'https://casting-agency.test/api';

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * An RSA key pair takes ~150 ms to make, and a run used to make some fifty: global-setup.ts makes the
 * issuer's and the forger's once per run and passes them in the environment. Outside Jest, new ones.
 */
export const KEY_ENV = { issuer: 'TEST_ISSUER_KEY', forger: 'TEST_FORGER_KEY' } as const;
const keyPair = (pem: string | undefined): { privateKey: KeyObject; publicKey: KeyObject } =>
  pem ? { privateKey: createPrivateKey(pem), publicKey: createPublicKey(pem) } : generateKeyPairSync('rsa', { modulusLength: 2048 });

/**
 * A stand-in for the Auth0 tenant: an RS256 key pair made for this run, its JWKS and OIDC discovery
 * document served on 127.0.0.1, and tokens signed the way Auth0 signs them. Nothing leaves loopback.
 */
export class TestIssuer {
  readonly kid = 'test-key-1';
  private readonly keys = keyPair(process.env[KEY_ENV.issuer]);
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    const documents: { of?: TestIssuer } = {};
    const server = createServer((req, res) => {
      const body = documents.of?.document(req.url ?? '');
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    documents.of = new TestIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return documents.of;
  }

  private document(path: string): object | undefined {
    if (path === '/.well-known/openid-configuration') {
      return { issuer: this.url, jwks_uri: `${this.url}.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] };
    }
    if (path === '/.well-known/jwks.json') {
      return { keys: [{ ...this.keys.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
    }
    return undefined;
  }

  claims(role: Role, overrides: Record<string, unknown> = {}) {
    return { ...roleClaims({ issuer: this.url, audience: AUDIENCE, role, ttlSeconds: 3600, sub: `auth0|test-${role}` }), ...overrides };
  }

  /** A valid token for the role; `overrides` replace or add claims (`permissions: undefined` removes it). */
  token(role: Role, overrides: Record<string, unknown> = {}): string {
    return this.sign(this.claims(role, overrides));
  }

  sign(payload: Record<string, unknown>, key: KeyObject = this.keys.privateKey, kid = this.kid): string {
    return signJwt(payload, key, kid);
  }

  /** Tokens a forger could make: each must be refused with 401. */
  forgeries(role: Role): Record<string, string> {
    const claims = this.claims(role);
    const other = keyPair(process.env[KEY_ENV.forger]).privateKey;
    const publicPem = this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const hsInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: this.kid })}.${b64(claims)}`;
    return {
      'signed by another key': this.sign(claims, other),
      'signed by another key with an unknown kid': this.sign(claims, other, 'unknown-kid'),
      expired: this.sign({ ...claims, iat: claims.iat - 7200, exp: claims.iat - 3600 }),
      'for another audience': this.sign({ ...claims, aud: 'https://another.api/' }),
      'from another issuer': this.sign({ ...claims, iss: 'https://evil.example.com/' }),
      'with alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      'HS256 signed with the public key': `${hsInput}.${createHmac('sha256', publicPem).update(hsInput).digest('base64url')}`,
      'with a tampered payload': (() => {
        const [h, , s] = this.token(role).split('.');
        return `${h}.${b64({ ...claims, permissions: ['delete:movies'] })}.${s}`;
      })(),
      garbage: 'not-a-jwt',
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

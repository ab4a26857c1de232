import type { PublicKeyInput } from 'express-oauth2-jwt-bearer';
import { fetchJson } from './fetch-json';

/** The issuer's JSON Web Key Set, in the form the verifier takes as `publicKey`. */
export type KeySet = Extract<PublicKeyInput, { keys: unknown }>;

export type KeyFetchOptions = {
  /** One fetch, from connecting to the last byte of the body; when it passes the socket is destroyed. */
  timeoutMs: number;
  /** After a failed fetch, requests that need the keys are answered at once for this long; then one fetch is tried again. Default: KEY_FETCH_RETRY_AFTER_MS. */
  retryAfterMs?: number;
  now?: () => number;
};

/** A back-off short enough that requests recover within seconds of the issuer answering again. */
export const KEY_FETCH_RETRY_AFTER_MS = 10_000;

// The verifier library's own periods: keys are fetched again after 10 min, and for a kid they lack
// after 30 s at the earliest (a forger's made-up kids cost one fetch per 30 s, not one per request).
const MAX_AGE_MS = 10 * 60_000;
const UNKNOWN_KID_COOLDOWN_MS = 30_000;
// While the issuer cannot be reached, keys fetched this recently still verify: a key is published
// long before it signs and retired long after, so an old set stays right for a while.
const STALE_FOR_MS = 60 * 60_000;
// Auth0's set is about 2 kB (the current and the next key).
const MAX_BYTES = 256 * 1024;
const MAX_KEYS = 100;

export class KeysUnavailableError extends Error {
  override name = 'KeysUnavailableError';
  constructor(
    /** How long until a fetch is tried again. */
    readonly retryAfterMs: number,
    cause: unknown,
  ) {
    super("the issuer's signing keys cannot be fetched", { cause });
  }
}

const isKeySet = (value: unknown): value is KeySet => {
  const keys = typeof value === 'object' && value !== null ? (value as { keys?: unknown }).keys : undefined;
  return Array.isArray(keys) && keys.length <= MAX_KEYS && keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k));
};

/**
 * The issuer's signing keys, fetched with a deadline and kept in memory. One fetch runs at a time and
 * every request that needs the keys meanwhile waits for that one, at most until its deadline. A
 * failure is remembered for `retryAfterMs` only: until then requests needing a fetch are refused at
 * once, afterwards the next one tries again. Keys older than 10 minutes keep serving while fresh ones
 * are fetched in the background, and for up to an hour while the issuer cannot be reached.
 */
export class IssuerKeys {
  private keySet: KeySet | undefined;
  private fetchedAt = 0;
  private failure: { at: number; error: unknown } | undefined;
  private pending: Promise<KeySet> | undefined;
  private readonly now: () => number;
  private readonly retryAfterMs: number;

  constructor(
    readonly url: URL,
    private readonly options: KeyFetchOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.retryAfterMs = options.retryAfterMs ?? KEY_FETCH_RETRY_AFTER_MS;
  }

  /** Keys in memory that can judge a token signed with `kid`, or `undefined` when a fetch must come first. */
  ready(kid: string | undefined): KeySet | undefined {
    const keySet = this.keySet;
    const age = this.now() - this.fetchedAt;
    if (!keySet || age >= STALE_FOR_MS) return undefined;
    if (kid !== undefined && !keySet.keys.some((key) => key.kid === kid)) {
      // Perhaps a key published since the last fetch; within the cool-down the verifier refuses the token.
      return age < UNKNOWN_KID_COOLDOWN_MS ? keySet : undefined;
    }
    if (age >= MAX_AGE_MS && !this.pending && this.backOffMs() <= 0) this.fetch().catch(() => undefined);
    return keySet;
  }

  /** The keys for a token signed with `kid`: those in memory, or a fetch's; rejects with KeysUnavailableError. */
  forKid(kid: string | undefined): Promise<KeySet> {
    const keySet = this.ready(kid);
    return keySet ? Promise.resolve(keySet) : this.fetch();
  }

  private backOffMs(): number {
    return this.failure ? this.failure.at + this.retryAfterMs - this.now() : 0;
  }

  private fetch(): Promise<KeySet> {
    const backOffMs = this.backOffMs();
    if (backOffMs > 0) return Promise.reject(new KeysUnavailableError(backOffMs, this.failure?.error));
    this.pending ??= fetchJson(this.url, { timeoutMs: this.options.timeoutMs, maxBytes: MAX_BYTES })
      .then((json) => {
        if (!isKeySet(json)) throw new Error(`${this.url.href} did not answer a JSON Web Key Set`);
        this.keySet = json;
        this.fetchedAt = this.now();
        this.failure = undefined;
        return json;
      })
      .catch((error: unknown) => {
        this.failure = { at: this.now(), error };
        throw new KeysUnavailableError(this.retryAfterMs, error);
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}

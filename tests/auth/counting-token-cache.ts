import { TokenCache } from '../../src/auth/token-cache';

/**
 * The real token cache, counting what it answers: a hit is a request served without the verifier,
 * a miss one that went to it.
 */
export class CountingTokenCache<T> extends TokenCache<T> {
  hits = 0;
  misses = 0;

  override get(token: string): T | undefined {
    const value = super.get(token);
    if (value === undefined) this.misses += 1;
    else this.hits += 1;
    return value;
  }
}

import { TokenCache } from '../../src/auth/token-cache';
import { TtlLruMap } from '../../src/lib/ttl-lru';
import { CountingTokenCache } from './counting-token-cache';
import { loadConfig } from '../../src/config';

/** A clock the test moves by hand. */
const clock = (start = 1_700_000_000_000) => {
  const c = { t: start, now: () => c.t };
  return c;
};

const inSeconds = (ms: number) => ms / 1000;

describe('TokenCache', () => {
  it('returns what was stored for the same token, and nothing for any other string', () => {
    const c = clock();
    const cache = new CountingTokenCache<string>({ maxEntries: 10, ttlMs: 60_000, now: c.now });
    cache.set('h.p.sig', 'claims', inSeconds(c.t) + 3600);
    expect(cache.get('h.p.sig')).toBe('claims');
    expect(cache.get('h.p.other-sig')).toBeUndefined();
    expect(cache.get('h.p.sig ')).toBeUndefined();
    expect(cache.get('h.p')).toBeUndefined();
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 3 });
  });

  it('forgets an entry when the token expires, even if the TTL is longer', () => {
    const c = clock();
    const cache = new TokenCache<string>({ maxEntries: 10, ttlMs: 60_000, now: c.now });
    cache.set('t', 'claims', inSeconds(c.t) + 5);
    c.t += 4_999;
    expect(cache.get('t')).toBe('claims');
    c.t += 1;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets an entry after the TTL, even if the token lives longer', () => {
    const c = clock();
    const cache = new TokenCache<string>({ maxEntries: 10, ttlMs: 30_000, now: c.now });
    cache.set('t', 'claims', inSeconds(c.t) + 3600);
    c.t += 29_999;
    expect(cache.get('t')).toBe('claims');
    c.t += 1;
    expect(cache.get('t')).toBeUndefined();
  });

  it.each([
    ['already expired', (now: number) => inSeconds(now) - 1],
    ['expiring this very millisecond', (now: number) => inSeconds(now)],
    ['without exp', () => undefined],
    ['with a string exp', (now: number) => String(inSeconds(now) + 60)],
    ['with an infinite exp', () => Infinity],
  ])('stores nothing for a token %s', (_label, exp) => {
    const c = clock();
    const cache = new TokenCache<string>({ maxEntries: 10, ttlMs: 60_000, now: c.now });
    cache.set('t', 'claims', exp(c.t));
    expect(cache.size).toBe(0);
    expect(cache.get('t')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const c = clock();
    const cache = new TokenCache<string>({ maxEntries: 3, ttlMs: 60_000, now: c.now });
    const exp = inSeconds(c.t) + 3600;
    for (const t of ['a', 'b', 'c']) cache.set(t, t.toUpperCase(), exp);
    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D', exp);
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((t) => cache.get(t))).toEqual(['A', undefined, 'C', 'D']);
  });

  it('stores nothing when maxEntries is 0', () => {
    const cache = new TokenCache<string>({ maxEntries: 0, ttlMs: 60_000 });
    cache.set('t', 'claims', Date.now() / 1000 + 3600);
    expect(cache.size).toBe(0);
  });
});

describe('TtlLruMap', () => {
  it('keeps an entry for ttlMs when no earlier time is given', () => {
    const c = clock();
    const map = new TtlLruMap<string, string>({ maxEntries: 10, ttlMs: 1_000, now: c.now });
    map.set('k', 'v');
    c.t += 999;
    expect(map.get('k')).toBe('v');
    c.t += 1;
    expect(map.get('k')).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it('keeps an entry only until the earlier time it is given, and not at all when that has passed', () => {
    const c = clock();
    const map = new TtlLruMap<string, string>({ maxEntries: 10, ttlMs: 60_000, now: c.now });
    map.set('soon', 'v', c.t + 10);
    map.set('past', 'v', c.t);
    expect(map.size).toBe(1);
    c.t += 10;
    expect([map.get('soon'), map.get('past')]).toEqual([undefined, undefined]);
  });
});

describe('TOKEN_CACHE_SIZE in the configuration', () => {
  it('defaults to 1000 and accepts 0 (no cache)', () => {
    expect(loadConfig({}).tokenCacheSize).toBe(1000);
    expect(loadConfig({ TOKEN_CACHE_SIZE: '0' }).tokenCacheSize).toBe(0);
  });

  it.each(['-1', 'lots', '100001'])('refuses TOKEN_CACHE_SIZE=%s, naming the variable', (value) => {
    expect(() => loadConfig({ TOKEN_CACHE_SIZE: value })).toThrow(/TOKEN_CACHE_SIZE/);
  });
});

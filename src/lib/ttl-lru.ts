import { LruMap } from './lru';

export type TtlLruOptions = {
  /** 0: holds nothing. */
  maxEntries: number;
  /** An entry lives at most this long after it was stored. */
  ttlMs: number;
  now?: () => number;
};

type Entry<V> = { value: V; expiresAt: number };

/**
 * An LruMap whose entries expire: each `ttlMs` after it was stored, or sooner when `set` is given an
 * earlier time. An expired entry is never returned; it leaves when it is next asked for, or as the
 * least recently used when the map is full.
 */
export class TtlLruMap<K, V> {
  private readonly entries: LruMap<K, Entry<V>>;
  private readonly now: () => number;

  constructor(private readonly options: TtlLruOptions) {
    this.now = options.now ?? Date.now;
    this.entries = new LruMap(options.maxEntries);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` until `ttlMs` from now or until `expiresAt` (epoch ms), whichever comes first; nothing when that has passed. */
  set(key: K, value: V, expiresAt = Infinity): void {
    const now = this.now();
    const until = Math.min(expiresAt, now + this.options.ttlMs);
    if (until <= now) return;
    this.entries.set(key, { value, expiresAt: until });
  }
}

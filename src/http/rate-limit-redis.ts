import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { createClient } from 'redis';
import type { Logger } from '../logger';
import type { StoreFor } from './rate-limit';

/**
 * One counter per key and window, as express-rate-limit's own MemoryStore counts: the first hit sets
 * the counter to 1 with the window as its expiry, later hits add 1. One script, so one round trip and
 * no two dynos can both start a window.
 */
const INCREMENT = `local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  redis.call('SET', KEYS[1], 1, 'PX', ARGV[1])
  return {1, tonumber(ARGV[1])}
end
return {redis.call('INCR', KEYS[1]), ttl}`;

type RedisClient = ReturnType<typeof createClient>;

/**
 * Sent whole every time (EVAL, not EVALSHA): nothing to load first, so nothing stays broken after
 * Redis was down or restarted (rate-limit-redis keeps the promise of its first SCRIPT LOAD, and a
 * failed one makes every later count fail).
 */
class RedisCounters implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly client: RedisClient,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const reply = await this.client.eval(INCREMENT, { keys: [this.prefix + key], arguments: [String(this.windowMs)] });
    const [totalHits, ttl] = (reply as unknown[]).map(Number) as [number, number];
    return { totalHits, resetTime: new Date(Date.now() + ttl) };
  }

  async decrement(key: string): Promise<void> {
    await this.client.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }
}

export type SharedRateLimits = {
  storeFor: StoreFor;
  /** Resolves once the client is connected (until then, requests pass uncounted). */
  connected: Promise<void>;
  close(): Promise<void>;
};

const UNAVAILABLE_LOG_EVERY_MS = 30_000;

/**
 * Rate-limit counters in Redis (`REDIS_URL`, which Heroku's Key-Value Store sets), so every worker
 * and dyno counts one caller together. Redis being down never takes the API down: commands fail at
 * once instead of queueing (`disableOfflineQueue`), the limiter then serves the request without a
 * limit (`passOnStoreError`), the client reconnects on its own, and the outage is logged every 30 s,
 * not on every request. `rediss://` (TLS) is accepted with Heroku's self-signed certificate.
 */
export function redisRateLimits(url: string, logger: Logger, prefix = 'casting-agency:rate-limit:'): SharedRateLimits {
  const tls = url.startsWith('rediss://') ? { tls: true as const, rejectUnauthorized: false } : {};
  const client: RedisClient = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000), ...tls },
  });
  let reported = 0;
  client.on('error', (err: unknown) => {
    if (Date.now() - reported < UNAVAILABLE_LOG_EVERY_MS) return;
    reported = Date.now();
    logger.warn({ err }, 'rate-limit counters (Redis) unavailable: requests are served without limits until it answers again');
  });
  client.on('ready', () => {
    if (reported !== 0) logger.info('rate-limit counters (Redis) available again');
    reported = 0;
  });
  // Failures reach the 'error' listener above; the client keeps reconnecting by itself.
  const connected = client.connect().then(
    () => undefined,
    () => new Promise<never>(() => undefined),
  );
  return {
    storeFor: (kind) => new RedisCounters(client, `${prefix}${kind}:`),
    connected,
    async close() {
      // Connected: let commands in flight finish. Still connecting: stop trying.
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}

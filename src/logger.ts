import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; `pretty` (development only) pipes them through pino-pretty when it is installed. */
export function createLogger(level: string, pretty = false): Logger {
  const redact = { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true };
  if (pretty) {
    try {
      require.resolve('pino-pretty');
      return pino({ level, redact, transport: { target: 'pino-pretty', options: { singleLine: true } } });
    } catch {
      // pino-pretty is a dev dependency; without it the output stays JSON.
    }
  }
  return pino({ level, redact });
}

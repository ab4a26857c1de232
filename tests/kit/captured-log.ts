import pino, { type Logger } from 'pino';

export type LogLine = Record<string, unknown> & { req?: Record<string, unknown>; res?: Record<string, unknown> };

/** A logger whose JSON lines are kept in `lines`, and a way to wait for a request's access-log line. */
export function capturedLog(): { logger: Logger; lines: string[]; lineFor(requestId: string): Promise<{ line: LogLine; text: string }> } {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  /** The access log (src/http/access-log.ts) writes its line once the response has been sent; wait for it. */
  async function lineFor(requestId: string) {
    for (let i = 0; i < 50; i += 1) {
      const text = lines.find((l) => l.includes(`"id":"${requestId}"`) && l.includes('"responseTime"'));
      if (text) return { line: JSON.parse(text) as LogLine, text };
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no log line for request ${requestId}`);
  }
  return { logger, lines, lineFor };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Heroku's router sends a UUID; anything printable and short is kept, anything else replaced. */
const ACCEPTABLE_ID = /^[\w\-.:@/+=]{1,200}$/;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** For the log: the URL with any token-like query parameter blanked (such requests are refused, but still logged). */
export const redactUrl = (url: string): string => url.replace(/([?&][^=&]*token[^=&]*=)[^&]*/gi, '$1[redacted]');

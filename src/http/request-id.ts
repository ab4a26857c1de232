import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactUrl } from './redact';

/** Heroku's router sends a UUID; anything printable and short is kept, anything else replaced. */
const ACCEPTABLE_ID = /^[\w\-.:@/+=]{1,200}$/;

/** The id is logged with every line of the request: one that holds a token (a short HS256 JWT fits) is replaced too. */
const holdsToken = (id: string) => redactUrl(`/${id}`) !== `/${id}`;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) && !holdsToken(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

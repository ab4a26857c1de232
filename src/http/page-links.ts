import type { Request, Response } from 'express';
import { MAX_PAGE } from './validate';

/*
 * RFC 8288 `Link` headers for a paged list: `first`, `prev`, `next`, `last`, each the URL the client
 * asked for with only `page` changed. Every other parameter stays as the client wrote it (its
 * order, its `limit`, its percent-encoding); only characters that could end the `<…>` or confuse a
 * parser that splits on `,` or `;` are percent-encoded, which leaves every decoded value the same.
 */

/** Where a list is: the page answered, its size, and every matching row. */
export type PagePosition = { page: number; limit: number; total: number };

/** Characters kept as they are in a link target, besides ASCII letters and digits; `%` only when it starts a `%XX` escape. */
const KEPT_PUNCTUATION = "-._~/?:@!$&'()*+=";
const KEPT = new Uint8Array(128);
for (const ch of `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789${KEPT_PUNCTUATION}`) KEPT[ch.charCodeAt(0)] = 1;
const PERCENT = 37;

const isKept = (code: number): boolean => code < 128 && KEPT[code] === 1;
const isHex = (code: number): boolean => (code >= 48 && code <= 57) || ((code | 0x20) >= 97 && (code | 0x20) <= 102);

/**
 * Node refuses a request target with raw bytes above 0x7F (400). Should one arrive anyway (its
 * lenient parser), Node hands it over one character per byte: the byte is escaped as it came.
 */
function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code <= 0xff) return `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return encodeURIComponent(ch);
}

/** The target made safe inside `<…>`; a valid `%XX` stays, a lone `%` becomes `%25`. Kept runs are copied whole. */
export function safeTarget(raw: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (isKept(code) || (code === PERCENT && isHex(raw.charCodeAt(i + 1)) && isHex(raw.charCodeAt(i + 2)))) continue;
    out += raw.slice(copied, i) + escapeChar(raw.charAt(i));
    copied = i + 1;
  }
  return copied === 0 ? raw : out + raw.slice(copied);
}

/** The name of a `name=value` pair as the query parser reads it (`+` is a space, `%67` is `g`). */
function pairName(pair: string): string {
  const name = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The request URL with `page` set: the client's first `page` pair (at `pageAt`) replaced where it stood, else appended. */
function urlForPage(path: string, pairs: readonly string[], pageAt: number, page: number): string {
  const out = [...pairs];
  if (pageAt === -1) out.push(`page=${page}`);
  else out[pageAt] = `page=${page}`;
  return `${path}?${out.join('&')}`;
}

/** The last page there is (1 for an empty list), never past the largest page a client may ask for. */
export const lastPage = ({ limit, total }: PagePosition): number => Math.min(MAX_PAGE, Math.max(1, Math.ceil(total / limit)));

/**
 * The `Link` header value for `originalUrl` at `position`. `prev` is absent on page 1 and, past the
 * end, points at the last page (where the rows are), not at another empty page; `next` is absent
 * from the last page on.
 */
export function pageLinks(originalUrl: string, position: PagePosition): string {
  const queryAt = originalUrl.indexOf('?');
  const rawPath = queryAt === -1 ? originalUrl : originalUrl.slice(0, queryAt);
  // `//host/…` would be a link to another host; the route matched, so one slash names the same path.
  const path = safeTarget(`/${rawPath.replace(/^\/+/, '')}`);
  const query = queryAt === -1 ? '' : originalUrl.slice(queryAt + 1);
  const pairs = query
    .split('&')
    .filter((pair) => pair !== '')
    .map(safeTarget);

  const pageAt = pairs.findIndex((pair) => pairName(pair) === 'page');

  const { page } = position;
  const last = lastPage(position);
  const rels: [string, number][] = [['first', 1]];
  if (page > 1) rels.push(['prev', Math.min(page - 1, last)]);
  if (page < last) rels.push(['next', page + 1]);
  rels.push(['last', last]);
  return rels.map(([rel, n]) => `<${urlForPage(path, pairs, pageAt, n)}>; rel="${rel}"`).join(', ');
}

/** Sets `Link` on the answer to a paged list. */
export function setPageLinks(req: Request, res: Response, page: PagePosition): void {
  res.set('Link', pageLinks(req.originalUrl, page));
}

/**
 * The URL the access log writes: the request's URL as received, with `[redacted]` for the value of
 * any query parameter whose name mentions "token" and for any path segment, parameter name or value
 * that holds a JWT. Tokens sent in the URL are refused (token-location.ts), but the refusal is logged.
 *
 * This runs on every request, before authentication and the rate limiter, on up to 16 kB of client
 * input: it splits and scans instead of matching regexes, and all its work is bounded by a budget
 * proportional to the URL's length (WORK_PER_CHARACTER).
 */
const REDACTED = '[redacted]';

/**
 * Characters of work allowed per character of URL. Ordinary URLs use about one; only input built to
 * be expensive (thousands of nested %-encodings, or of places where a JWT header could start) runs
 * out, and a piece that cannot be checked within the budget is redacted unchecked.
 */
const WORK_PER_CHARACTER = 8;
const WORK_MINIMUM = 4096;

type Budget = { left: number };
const spend = (budget: Budget, work: number): boolean => (budget.left -= work) >= 0;

export function redactUrl(url: string): string {
  // Most URLs: nothing that could be encoded, dotted like a JWT or named like a token (0.1 µs, not 3).
  if (!url.includes('%') && !url.includes('.') && !url.toLowerCase().includes('token')) return url;
  const budget = { left: WORK_MINIMUM + WORK_PER_CHARACTER * url.length };
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q))
    .split('/')
    .map((segment) => redactPiece(segment, budget))
    .join('/');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((parameter) => redactParameter(parameter, budget))
    .join('&');
  return `${path}?${query}`;
}

function redactParameter(parameter: string, budget: Budget): string {
  const eq = parameter.indexOf('=');
  if (eq === -1) return redactPiece(parameter, budget);
  const name = parameter.slice(0, eq);
  const value = namesToken(name, budget) ? REDACTED : redactPiece(parameter.slice(eq + 1), budget);
  return `${redactPiece(name, budget)}=${value}`;
}

/** `access_token`, `id_token`, `access_tok%65n`, …: the name as written or decoded, in any case. */
const namesToken = (name: string, budget: Budget): boolean => anyReading(name, budget, (form) => form.toLowerCase().includes('token'));

/**
 * A piece holding a JWT as written or encoded (once or more: the log shows it as written, the app
 * sees it decoded once, a reader may decode it again).
 */
const redactPiece = (piece: string, budget: Budget): string =>
  anyReading(piece, budget, (form) => holdsJwt(form, budget)) ? REDACTED : piece;

/**
 * Whether `test` holds for the text as written or after any number of rounds of %-decoding; true,
 * to be safe, once that would take more than the budget.
 */
function anyReading(text: string, budget: Budget, test: (form: string) => boolean): boolean {
  let form = text;
  for (;;) {
    if (test(form)) return true;
    if (!form.includes('%')) return false;
    if (!spend(budget, form.length)) return true;
    const decoded = decodeBytes(form);
    if (decoded === form) return false;
    form = decoded;
  }
}

/**
 * One round of %-decoding, each `%XX` to the character with that code. Unlike decodeURIComponent it
 * cannot fail (invalid UTF-8, a lone `%`) and keeps every other character as it is, which is all a
 * token's ASCII needs.
 */
function decodeBytes(text: string): string {
  const out: string[] = [];
  let copied = 0;
  for (let i = text.indexOf('%'); i !== -1 && i + 2 < text.length; i = text.indexOf('%', i + 1)) {
    const hi = hexValue(text.charCodeAt(i + 1));
    const lo = hexValue(text.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) continue;
    out.push(text.slice(copied, i), String.fromCharCode(hi * 16 + lo));
    copied = i + 3;
    i += 2;
  }
  return copied === 0 ? text : out.join('') + text.slice(copied);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1; // a-f, A-F
}

const DOT = 46;
const isBase64url = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;

/**
 * Whether `text` holds a JWT's shape: three base64url segments joined by dots (a JWS; a JWE has
 * five), the first decoding to a JSON object. One pass collects each dotted chain of segments.
 */
function holdsJwt(text: string, budget: Budget): boolean {
  if (!text.includes('.')) return false;
  let chain: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i += 1) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (isBase64url(c)) continue;
    chain.push(text.slice(start, i));
    start = i + 1;
    if (c === DOT) continue;
    for (let k = 0; k + 2 < chain.length; k += 1) if (endsInHeader(chain[k]!, budget)) return true;
    chain = [];
  }
  return false;
}

/** `{` base64url-encodes as `e` then one of these: where a header glued to other text (`xeyJhbG…`) can start. */
const AFTER_E = new Set('wxyz0123456789-_');

/** Whether the segment, or a tail of it starting where a `{` could, decodes to a JSON object. */
function endsInHeader(segment: string, budget: Budget): boolean {
  for (let j = 0; j < segment.length; j += 1) {
    if (j > 0 && !(segment[j] === 'e' && AFTER_E.has(segment[j + 1] ?? ''))) continue;
    if (!spend(budget, segment.length - j)) return true;
    const text = Buffer.from(segment.slice(j), 'base64url').toString('latin1');
    if (!(text.trimStart().startsWith('{') && text.trimEnd().endsWith('}'))) continue;
    // A failed JSON.parse throws, which costs far more than reading the text.
    if (!spend(budget, PARSE_COST)) return true;
    if (isJsonObject(text)) return true;
  }
  return false;
}

const PARSE_COST = 256;

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

export type FetchLimits = {
  /** From the start of the connection to the last byte of the body. */
  timeoutMs: number;
  maxBytes: number;
};

const getFor = (url: URL) => (url.protocol === 'https:' ? httpsGet : url.protocol === 'http:' ? httpGet : undefined);

/**
 * GETs a JSON document within a deadline that covers everything: connecting, the headers and the
 * whole body. When it passes the request is destroyed, socket included. Node's own `timeout` option
 * only reports an idle socket and leaves it open, and neither express-oauth2-jwt-bearer nor jose
 * watches the body once the headers are in: an issuer that stalls there would hold a request forever.
 */
export function fetchJson(url: URL, { timeoutMs, maxBytes }: FetchLimits): Promise<unknown> {
  const get = getFor(url);
  if (!get) return Promise.reject(new Error(`cannot fetch ${url.href}: only http and https are supported`));
  let deadline: NodeJS.Timeout | undefined;
  return new Promise((resolve, reject) => {
    // A promise settles once: whichever of the deadline, an error or the end comes first decides.
    const req: ClientRequest = get(url, { headers: { accept: 'application/json' } }, (res) =>
      readJson(req, res, url, maxBytes).then(resolve, reject),
    );
    deadline = setTimeout(() => req.destroy(new Error(`no complete answer from ${url.href} within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', reject);
  }).finally(() => clearTimeout(deadline));
}

function readJson(req: ClientRequest, res: IncomingMessage, url: URL, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    res.on('error', reject);
    if (res.statusCode !== 200) {
      req.destroy();
      return reject(new Error(`${url.href} answered ${res.statusCode ?? 'without a status'}`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) req.destroy(new Error(`${url.href} answered more than ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    res.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Error(`${url.href} did not answer JSON`));
      }
    });
  });
}

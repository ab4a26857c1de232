import { fc } from '@fast-check/jest';
import { OPERATIONS } from '../../src/routes';

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
/** A route-table path with `{id}` holes: `/movies/:id/actors/:actorId` → `/movies/{id}/actors/{id}`. */
const withHoles = (path: string) => path.replace(/:\w+/g, '{id}');

/** Every route the API has (from the route table, so a new one is attacked at once), and a few it has not. */
export const ROUTES = [...new Set(OPERATIONS.map((op) => withHoles(op.path))), '/{id}', '/actors/{id}/{id}'];
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const WRITES = OPERATIONS.filter((op) => WRITE_METHODS.has(op.method)).map((op) => [op.method.toUpperCase(), withHoles(op.path)] as const);
/** A write endpoint as its method and route, mostly ones that exist so bodies get past routing. */
export const writeEndpoint = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WRITES) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...METHODS), fc.constantFrom(...WRITES.map(([, route]) => route))) },
);
/** Any endpoint: mostly a method the route serves, sometimes any method on any route. */
export const endpoint = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WRITES, ...ROUTES.map((route) => ['GET', route] as const)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...METHODS), fc.constantFrom(...ROUTES)) },
);
export const CALLERS = ['none', 'assistant', 'director', 'producer', 'forged', 'malformed'] as const;
/** Mostly callers allowed to write, so bodies get past authorization and are actually read. */
export const WRITERS = ['producer', 'producer', 'producer', 'director', 'director', 'assistant', 'none', 'forged'] as const;
export type Caller = (typeof CALLERS)[number];

/** Header-safe text (what an HTTP client can send at all): printable ASCII. */
export const headerText = (maxLength = 40) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

const weird = fc.constantFrom(
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  '%20',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '..',
  '%2e%2e',
  '%2F',
  '99999999999',
  '2147483648',
  '٣',
  '１',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  "1'--",
  '1;DROP TABLE actors',
  '~',
  ' 1'.replace(' ', '%20'),
);
/** A path segment where an id goes: usually a small id that may exist, else anything. */
export const idSegment = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }).map(String) },
  { weight: 2, arbitrary: weird },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
);

export const fillPath = (route: string, ids: readonly string[]) => {
  let next = 0;
  return route.replace(/\{id\}/g, () => ids[next++] ?? '1');
};

const queryKey = fc.oneof(
  fc.constantFrom('page', 'limit', 'q', 'sort', 'access_token', '__proto__', 'constructor[prototype]', 'page[]', 'a[b]'),
  fc.string({ maxLength: 12 }),
);
const queryValue = fc.oneof(fc.integer({ min: -5, max: 300 }).map(String), weird, fc.string({ unit: 'grapheme', maxLength: 30 }));
/** A raw query string: known and unknown keys, repeated keys, values of any kind, encoded or raw. */
export const queryString = fc
  .array(fc.tuple(queryKey, queryValue, fc.boolean()), { maxLength: 5 })
  .map((pairs) =>
    pairs
      .map(([k, v, raw]) =>
        raw
          ? `${encodeURIComponent(k)}=${v.replace(/[^\x21-\x7e]/gu, encodeURIComponent)}`
          : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
      )
      .join('&'),
  );

const jsonScalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const fieldValue = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 200 }) },
  { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('2023-02-30', '0000-01-01', '9999-12-31', '20230101', 'x'.repeat(201), ' ', '\u0000', 'a\u0000b'),
  },
  { weight: 1, arbitrary: jsonScalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
/** Bodies shaped like ours (valid, known fields with wrong values, extra fields) or any JSON at all. */
export const jsonBody = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.dictionary(fc.constantFrom('name', 'age', 'gender', 'title', 'release_date', 'id', 'movies', '__proto__'), fieldValue, {
        maxKeys: 4,
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 3,
      arbitrary: fc.record(
        { name: fc.string({ minLength: 1, maxLength: 20 }), age: fc.integer({ min: 0, max: 150 }), gender: fc.constantFrom('f', 'm', 'x') },
        { requiredKeys: [] },
      ),
    },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          title: fc.string({ minLength: 1, maxLength: 20 }),
          release_date: fc
            .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, 10)),
        },
        { requiredKeys: [] },
      ),
    },
  )
  .map((v) => JSON.stringify(v));
const rawBody = fc.oneof(
  { weight: 6, arbitrary: jsonBody },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      '{"name":',
      '[1,2',
      '{"a":1}garbage',
      'null',
      '"text"',
      '\u0000',
      '{"__proto__":{"admin":true}}',
      '['.repeat(5000) + ']'.repeat(5000),
      `{"name":"${'x'.repeat(110_000)}"}`,
    ),
  },
);
export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/merge-patch+json',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'garbage',
      '',
    ),
  },
);
const encoding = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown') },
);
export const body = fc.record({ text: rawBody, type: contentType, encoding });

/** Extra headers a client might send: conditionals, ids, proxies, content negotiation. */
export const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'If-Match',
    'If-None-Match',
    'X-Request-Id',
    'X-Forwarded-For',
    'Accept',
    'Origin',
    'Access-Control-Request-Method',
    'Range',
    'Expect-CT',
    'X-HTTP-Method-Override',
  ),
  fc.oneof(headerText(), fc.constantFrom('*', '"abc"', 'W/"abc"', 'application/xml', '::1', 'PATCH', 'bytes=0-1')),
  { maxKeys: 3 },
);
export const authorization = fc.oneof(
  headerText(60),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x.y.z', 'DPoP abc', 'Bearer a b'),
);

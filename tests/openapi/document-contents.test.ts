import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { seed } from '../../src/db/migrate';
import { CalendarDate } from '../../src/movies/movies.schemas';
import { buildOpenApiDocument } from '../../src/openapi/document';
import { DATE_PATTERN } from '../../src/openapi/schemas';
import { createTestContext, type TestContext } from '../kit/context';
import { createDocumentChecker } from '../kit/openapi-check';
import { documentedOperations } from '../kit/operations';

/*
 * What tools that read the document (Spectral, Redocly, Prism, Portman, Dredd, Swagger UI) need
 * from it beyond being valid: the answers the server really gives, typed parameters with their
 * examples, the headers that always come, and a base URL.
 */
const doc = JSON.parse(JSON.stringify(buildOpenApiDocument()));
const check = createDocumentChecker(buildOpenApiDocument());
const operations = documentedOperations(buildOpenApiDocument());

type Header = { required?: boolean; $ref?: string; example?: unknown };
type Response = { headers?: Record<string, Header>; content?: Record<string, { example?: Record<string, unknown> }> };
type Parameter = { name: string; in: string; example?: unknown; schema: Record<string, unknown> };
type Op = {
  summary: string;
  parameters?: Parameter[];
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
  'x-permissions': string[];
};
const op = (path: string, method: string): Op => doc.paths[path][method];
const allOperations = Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(([path, item]) =>
  Object.entries(item).map(([method, o]) => ({ path, method, op: o })),
);
const header = (h: Header): Header => (h.$ref ? doc.components.headers[h.$ref.split('/').pop()!] : h);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'doc');

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.reset();
  await seed(ctx.db);
});
afterAll(() => ctx.close());

describe('conditional GET (If-None-Match → 304)', () => {
  it.each(['/actors/{id}', '/movies/{id}'])('GET %s documents the If-None-Match header and 304 with its ETag', (path) => {
    const get = op(path, 'get');
    expect(get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header' })]));
    expect(get.responses['304']).toBeDefined();
    expect(get.responses['304']!.content).toBeUndefined();
    expect(header(get.responses['304']!.headers!.ETag!).required).toBe(true);
  });

  it.each(['/actors/1', '/movies/1'])('GET %s with its current ETag answers 304, as documented', async (path) => {
    const first = await ctx.api.as('assistant').get(path);
    const again = await ctx.api.as('assistant').get(path).set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(Object.keys(op(path.replace('1', '{id}'), 'get').responses)).toContain('304');
  });
});

describe('query parameters', () => {
  it.each([
    ['/actors', ['id', '-id', 'name', '-name', 'age', '-age']],
    ['/movies', ['id', '-id', 'title', '-title', 'release_date', '-release_date']],
  ])('GET %s documents sort as a string enum with default id, exactly what the route accepts', async (path, values) => {
    const sort = op(path, 'get').parameters!.find((p) => p.name === 'sort')!;
    expect(sort.schema).toEqual({ type: 'string', enum: values, default: 'id' });
    const refused = await ctx.api.as('assistant').get(`${path}?sort=nope`);
    expect(refused.body.message).toContain(`must be one of: ${values.join(', ')}`);
  });

  // What CalendarDate (src/movies/movies.schemas.ts) accepts.
  const DATES = {
    '0000-01-01': false,
    '0000-02-29': false,
    '0001-01-01': true,
    '2006-10-20': true,
    '2023-13-01': false,
    '2023-02-30': false,
    '2024-02-29': true,
    '2000-02-29': true,
    '1900-02-29': false,
    '0400-02-29': true,
  };

  it('has no date that year 0000 passes: every format: date has a pattern that refuses it', () => {
    const dates: Record<string, unknown>[] = [];
    const visit = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (schema.format === 'date') dates.push(schema);
      Object.values(schema).forEach(visit);
    };
    visit(doc);
    expect(dates.length).toBeGreaterThanOrEqual(4); // Movie, MovieCreate, MoviePatch, released_after/before
    for (const schema of dates) {
      const valid = ajv.compile({ ...schema, $schema: undefined });
      const verdicts = Object.fromEntries(Object.keys(DATES).map((date) => [date, valid(date)]));
      expect(verdicts).toEqual(DATES);
    }
  });

  it('has a date pattern that agrees with CalendarDate on every day around years 0, 400, 1900 and 2000', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const years = [0, 1, 4, 100, 396, 400, 1896, 1900, 1999, 2000, 2024];
    const pattern = new RegExp(DATE_PATTERN);
    for (const year of years) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect({ date, documented: pattern.test(date) }).toEqual({ date, documented: CalendarDate.safeParse(date).success });
        }
      }
    }
  });

  it('gives every path and header parameter an example on the parameter itself, valid against its schema', () => {
    const parameters = allOperations.flatMap(({ op: o }) => (o.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'header'));
    expect(parameters.length).toBeGreaterThan(20);
    for (const p of parameters) {
      expect({ name: p.name, example: p.example }).toEqual({ name: p.name, example: expect.anything() });
      expect(ajv.validate(p.schema, p.example)).toBe(true);
    }
  });
});

describe('response headers', () => {
  it('marks X-Request-Id required, and puts it on every answer of every operation', () => {
    expect(doc.components.headers['X-Request-Id'].required).toBe(true);
    for (const { op: o } of allOperations) {
      for (const response of Object.values(o.responses)) expect(response.headers?.['X-Request-Id']).toBeDefined();
    }
  });

  it('marks Location required on 201 and ETag required on GET by id', () => {
    for (const path of ['/actors', '/movies']) expect(header(op(path, 'post').responses['201']!.headers!.Location!).required).toBe(true);
    for (const path of ['/actors/{id}', '/movies/{id}'])
      expect(header(op(path, 'get').responses['200']!.headers!.ETag!).required).toBe(true);
  });
});

describe('/docs', () => {
  it('documents /docs as a 301 to /docs/, and the page at /docs/', () => {
    expect(Object.keys(op('/docs', 'get').responses)).not.toContain('200');
    expect(header(op('/docs', 'get').responses['301']!.headers!.Location!)).toMatchObject({ required: true, example: '/docs/' });
    expect(Object.keys(op('/docs/', 'get').responses['200']!.content!)).toEqual(['text/html']);
  });

  it('answers as documented: /docs moves to /docs/, which is the page', async () => {
    const moved = await ctx.api.get('/docs');
    expect([moved.status, moved.headers.location]).toEqual([301, '/docs/']);
    const page = await ctx.api.get('/docs/');
    expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
  });

  it('ends no other path with a slash but the web app’s (the exceptions the linters are told about)', () => {
    expect(Object.keys(doc.paths).filter((p) => p.length > 1 && p.endsWith('/'))).toEqual(['/docs/', '/app/']);
  });
});

describe('servers, contact and summaries', () => {
  it('lists this server (relative, for Swagger UI on any host) first, then a configurable one for offline tools', () => {
    expect(doc.servers[0]).toMatchObject({ url: '/' });
    expect(doc.servers[1]).toMatchObject({
      url: 'http://{host}:{port}',
      variables: { host: { default: 'localhost' }, port: { default: '3000' } },
    });
    expect(doc.info.contact).toMatchObject({ name: expect.any(String) });
  });

  it('writes "an" before a vowel in every summary', () => {
    expect(allOperations.map(({ op: o }) => o.summary).filter((s) => /\ba [aeiou]/i.test(s))).toEqual([]);
    expect(op('/actors', 'post').summary).toBe('Add an actor');
  });

  it('names in every security requirement the defined scheme and exactly the x-permissions', () => {
    for (const { op: o } of allOperations) {
      const schemes = (o.security ?? []).flatMap((requirement) => Object.entries(requirement));
      for (const [name] of schemes) expect(Object.keys(doc.components.securitySchemes)).toContain(name);
      expect(schemes.flatMap(([, permissions]) => permissions)).toEqual(o['x-permissions']);
    }
  });
});

describe('examples', () => {
  it('counts at least the items a list example shows, on a page that holds them', () => {
    let lists = 0;
    for (const { op: o } of allOperations) {
      const example = o.responses['200']?.content?.['application/json']?.example;
      if (!example || example.page === undefined) continue;
      const [key] = Object.entries(example).find(([, v]) => Array.isArray(v))!;
      const count = Object.entries(example).find(([k]) => k.startsWith('all_'))![1] as number;
      expect(count).toBeGreaterThanOrEqual((example[key] as unknown[]).length);
      expect(example.limit).toBeGreaterThanOrEqual((example[key] as unknown[]).length);
      lists += 1;
    }
    expect(lists).toBe(6);
  });

  it('shows the sample actor and movie in the answers by id', () => {
    expect(op('/actors/{id}', 'get').responses['200']!.content!['application/json']!.example).toMatchObject({ actor: { name: 'Kevin' } });
    expect(op('/movies/{id}', 'get').responses['200']!.content!['application/json']!.example).toMatchObject({
      movie: { title: 'The Prestige' },
    });
  });
});

describe('HEAD, OPTIONS and 405', () => {
  it('documents HEAD wherever there is GET, with the same statuses and no bodies', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Op>>)) {
      if (!item.get) continue;
      expect(Object.keys(item.head!.responses)).toEqual(Object.keys(item.get.responses));
      for (const response of Object.values(item.head!.responses))
        expect({ path, content: response.content }).toEqual({ path, content: undefined });
    }
  });

  it.each(Object.keys(doc.paths))('OPTIONS %s answers 204 as documented, with every header it marks required', async (path) => {
    const res = await ctx.api.options(path.replace(/\{\w+\}/g, '1'));
    expect(res.status).toBe(204);
    const headers = op(path, 'options').responses['204']!.headers!;
    const required = Object.entries(headers).filter(([, h]) => header(h).required);
    for (const [name] of required) expect(res.headers[name.toLowerCase()]).toBeDefined();
    // The CORS answer is the same on every path: exactly the documented examples.
    for (const [name, h] of Object.entries(headers).filter(([n]) => n.startsWith('Access-Control-'))) {
      expect(res.headers[name.toLowerCase()]).toBe(header(h).example);
    }
  });

  it('points from x-method-not-allowed to one 405 response, which a real 405 matches', async () => {
    expect(doc['x-method-not-allowed']).toEqual({ $ref: '#/components/responses/MethodNotAllowed' });
    const documented = doc.components.responses.MethodNotAllowed as Response;
    expect(documented.headers!.Allow!.required).toBe(true);
    const res = await ctx.api.as('producer').put('/actors');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(documented.headers!.Allow!.example);
    expect(ajv.validate({ $ref: 'doc#/components/schemas/Error' }, res.body)).toBe(true);
    expect(check({ method: 'PUT', path: '/actors', status: 405, contentType: res.headers['content-type']!, body: res.text })).toEqual([]);
  });

  it('lists the operations every path of the route table has, plus HEAD and OPTIONS', () => {
    expect(operations.filter((o) => o.method === 'options')).toHaveLength(Object.keys(doc.paths).length);
  });
});

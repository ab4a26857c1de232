import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { Permission } from '../../src/auth/permissions';
import { buildOpenApiDocument } from '../../src/openapi/document';
import { buildApp, createTestContext, developmentDeps, type TestContext } from '../kit/context';
import type { Client } from '../kit/clients';
import { concretePath, documentedOperations, isDeclared } from '../kit/operations';

const doc = buildOpenApiDocument();

const openApiErrors = (document: object) => {
  const file = require.resolve('@seriousme/openapi-schema-validator/schemas/v3.1/schema.json');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
  return validate(JSON.parse(JSON.stringify(document))) ? [] : validate.errors;
};
const operations = documentedOperations(doc);
const ALL_PERMISSIONS = Object.values(Permission);

let ctx: TestContext;
/** A server with no issuer, the only kind that answers POST /app/dev-token. */
let development: Client;
beforeAll(async () => {
  ctx = await createTestContext();
  development = ctx.clientFor(buildApp(ctx.db, ctx.issuer, developmentDeps()));
});
afterAll(() => ctx.close());

describe('GET /openapi.json', () => {
  it('answers the generated OpenAPI 3.1 document as JSON, without a token', async () => {
    const res = await ctx.api.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('is valid against the official OpenAPI 3.1 schema', () => {
    expect(openApiErrors(doc)).toEqual([]);
  });

  it('has schemas that compile as JSON Schema 2020-12 and a bearer security scheme', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(JSON.parse(JSON.stringify(doc)), 'https://casting-agency.local/openapi.json');
    const names = Object.keys(doc.components?.schemas ?? {});
    expect(names).toEqual(expect.arrayContaining(['Actor', 'Movie', 'Error', 'ActorCreate', 'MoviePatch']));
    for (const name of names) {
      expect(() => ajv.compile({ $ref: `https://casting-agency.local/openapi.json#/components/schemas/${name}` })).not.toThrow();
    }
    expect(doc.components?.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
  });

  it('has an example for every JSON body, and every example is valid against its schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const id = 'https://casting-agency.local/openapi.json';
    ajv.addSchema(JSON.parse(JSON.stringify(doc)), id);
    const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    let checked = 0;
    for (const [template, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>)) {
        const bodies = [
          ...Object.entries(op.responses).map(([status, r]) => [`responses/${status}`, r] as const),
          ...(op.requestBody ? [['requestBody', op.requestBody] as const] : []),
        ];
        for (const [where, body] of bodies) {
          const json = (body as { content?: Record<string, { example?: unknown }> }).content?.['application/json'];
          if (!json) continue;
          const validate = ajv.compile({ $ref: `${id}#/paths/${esc(template)}/${method}/${where}/content/application~1json/schema` });
          expect({ at: `${method} ${template} ${where}`, ok: validate(json.example), errors: validate.errors ?? null }).toMatchObject({
            ok: true,
          });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('answers 405 with Allow to other methods', async () => {
    const res = await ctx.api.post('/openapi.json');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});

describe('every documented operation', () => {
  it('gives every operation an id, a summary, a tag, x-permissions and a 500 answer (OPTIONS: only its 204)', () => {
    for (const [, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
        expect(op).toMatchObject({ operationId: expect.any(String), summary: expect.any(String), tags: [expect.any(String)] });
        expect(op['x-permissions']).toEqual(expect.any(Array));
        // The CORS middleware answers OPTIONS before anything that could fail runs.
        if (method === 'options') expect(Object.keys(op.responses as object)).toEqual(['204']);
        else expect(op.responses).toHaveProperty('500');
      }
    }
  });

  const guarded = operations.filter((o) => o.permissions.length > 0);
  const open = operations.filter((o) => !o.tokenRequired);
  const anyToken = operations.filter((o) => o.tokenRequired && o.permissions.length === 0);

  it.each(guarded.map((o) => [o.name, o]))('%s needs exactly the permission it documents', async (_name, op) => {
    const [needed] = op.permissions;
    expect(op.permissions).toHaveLength(1);
    const path = concretePath(op.template, 999999);
    const without = ctx.issuer.token('producer', { permissions: ALL_PERMISSIONS.filter((p) => p !== needed) });
    const denied = await ctx.api[op.method](path).set('Authorization', `Bearer ${without}`);
    expect(denied.status).toBe(403);
    // HEAD has no body to name it in.
    if (op.method !== 'head') expect(denied.body.message).toContain(needed);
    const only = ctx.issuer.token('assistant', { permissions: [needed] });
    const allowed = await ctx.api[op.method](path).set('Authorization', `Bearer ${only}`);
    expect([401, 403]).not.toContain(allowed.status);
  });

  it.each(anyToken.map((o) => [o.name, o]))('%s needs a token, and any valid one will do, as documented', async (_name, op) => {
    expect((await ctx.api[op.method](concretePath(op.template))).status).toBe(401);
    const none = ctx.issuer.token('assistant', { permissions: [] });
    const res = await ctx.api[op.method](concretePath(op.template)).set('Authorization', `Bearer ${none}`);
    expect(res.status).toBe(200);
  });

  it.each(open.map((o) => [o.name, o]))('%s answers without a token, as documented', async (_name, op) => {
    const res = await ctx.api[op.method](concretePath(op.template));
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });

  it.each(operations.filter((o) => o.method === 'get' && o.permissions.length > 0).map((o) => [o.name, o]))(
    '%s documents exactly the query parameters the route accepts',
    async (_name, op) => {
      const res = await ctx.api.get(`${concretePath(op.template)}?not_a_parameter=1`).set('Authorization', ctx.auth.producer);
      if (op.queryParameters.length === 0) return expect(res.body.code).not.toBe('invalid_query');
      expect(res.status).toBe(400);
      const allowed = /allowed parameters: (.*)$/.exec(res.body.message)?.[1]?.split(', ');
      expect(allowed?.sort()).toEqual([...op.queryParameters].sort());
    },
  );

  it.each(operations.filter((o) => o.bodyExample !== undefined).map((o) => [o.name, o]))(
    '%s accepts the example body the document shows',
    async (_name, op) => {
      await ctx.reset();
      await ctx.db.query("INSERT INTO actors (name, age, gender) VALUES ('Kevin', 22, 'male')");
      await ctx.db.query("INSERT INTO movies (title, release_date) VALUES ('The Prestige', '2006-10-20')");
      const api = op.template === '/app/dev-token' ? development : ctx.api;
      const res = await api[op.method](concretePath(op.template))
        .set('Authorization', ctx.auth.producer)
        .send(op.bodyExample as object);
      expect(res.status).toBeLessThan(300);
    },
  );
});

describe('the casting operations', () => {
  const casting = operations
    .filter(isDeclared)
    .filter((o) => o.template.includes('/actors/{actorId}') || /^\/(movies|actors)\/\{id\}\/(actors|movies)$/.test(o.template));

  it('carry the contract permissions and answers', () => {
    expect(Object.fromEntries(casting.map((o) => [o.name, o.permissions]))).toEqual({
      'GET /movies/{id}/actors': ['get:movies'],
      'GET /actors/{id}/movies': ['get:actors'],
      'PUT /movies/{id}/actors/{actorId}': ['patch:movies'],
      'DELETE /movies/{id}/actors/{actorId}': ['patch:movies'],
    });
    expect(casting.find((o) => o.method === 'put')?.statuses).toEqual(expect.arrayContaining([200, 201, 404, 401, 403]));
  });
});

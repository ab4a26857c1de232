import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seed } from '../../src/db/migrate';
import { buildOpenApiDocument } from '../../src/openapi/document';
import { POSTMAN_FILE, toPostmanCollection } from '../../src/openapi/postman';
import { buildApp, createTestContext, developmentDeps, type TestContext } from '../kit/context';
import type { Client } from '../kit/clients';
import { documentedOperations, isDeclared } from '../kit/operations';
import { ROOT } from '../kit/commands';

type Request = {
  method: string;
  url: { path: string[]; query?: { key: string; value: string; disabled?: boolean }[]; variable?: { key: string; value: string }[] };
  header?: { key: string; value: string }[];
  body?: { raw?: string };
  auth: { type: string; bearer?: { value: string }[] };
};
type Item = { name: string; request?: Request; item?: Item[] };
type Collection = { info: { name: string }; item: Item[]; variable: { key: string; value: string }[]; auth: Request['auth'] };

const committed = JSON.parse(readFileSync(path.join(ROOT, POSTMAN_FILE), 'utf8')) as Collection;
const requests = (items: Item[]): Request[] => items.flatMap((i) => (i.request ? [i.request] : requests(i.item ?? [])));
const templateOf = (r: Request) => `/${r.url.path.join('/')}`.replace(/:(\w+)/g, '{$1}');

let ctx: TestContext;
/** A server with no issuer, the only kind that answers POST /app/dev-token. */
let development: Client;
beforeAll(async () => {
  ctx = await createTestContext();
  development = ctx.clientFor(buildApp(ctx.db, ctx.issuer, developmentDeps()));
});
afterAll(() => ctx.close());

describe(POSTMAN_FILE, () => {
  it('is what `npm run docs:postman` makes from the current document', async () => {
    const fresh = await toPostmanCollection(buildOpenApiDocument());
    expect(committed).toEqual(fresh);
  });

  it('has a {{baseUrl}} and a {{token}} variable, and bearer auth with {{token}}', () => {
    expect(committed.info.name).toBe('Casting Agency API');
    expect(committed.variable.map((v) => v.key).sort()).toEqual(['baseUrl', 'token']);
    expect(committed.variable.find((v) => v.key === 'baseUrl')?.value).toBe('http://localhost:3000');
    expect(committed.auth).toMatchObject({ type: 'bearer', bearer: [{ value: '{{token}}' }] });
  });

  it('has one request per documented operation but HEAD and OPTIONS; public ones send no token', () => {
    const operations = documentedOperations(buildOpenApiDocument()).filter(isDeclared);
    const all = requests(committed.item);
    expect(all.map((r) => `${r.method} ${templateOf(r)}`).sort()).toEqual(operations.map((o) => o.name).sort());
    for (const op of operations) {
      const request = all.find((r) => `${r.method} ${templateOf(r)}` === op.name)!;
      expect(request.auth.type).toBe(op.tokenRequired ? 'bearer' : 'noauth');
      if (op.tokenRequired) expect(request.auth.bearer?.[0]?.value).toBe('{{token}}');
    }
  });

  it.each(requests(committed.item).map((r) => [`${r.method} ${templateOf(r)}`, r]))(
    '%s works as it stands, with a producer token',
    async (_name, r) => {
      await ctx.reset();
      await seed(ctx.db);
      // DELETE of a cast entry needs one: actor 1 is cast in movie 1.
      await ctx.db.query('INSERT INTO movie_actors (movie_id, actor_id) VALUES (1, 1)');
      const variables = Object.fromEntries((r.url.variable ?? []).map((v) => [v.key, v.value]));
      const urlPath = `/${r.url.path.map((p) => (p.startsWith(':') ? variables[p.slice(1)] : p)).join('/')}`;
      const query = (r.url.query ?? []).filter((q) => !q.disabled).map((q) => `${q.key}=${encodeURIComponent(q.value)}`);
      const api = urlPath === '/app/dev-token' ? development : ctx.api;
      let req = api[r.method.toLowerCase() as 'get'](query.length > 0 ? `${urlPath}?${query.join('&')}` : urlPath);
      for (const h of r.header ?? []) req = req.set(h.key, h.value);
      if (r.auth.type === 'bearer') req = req.set('Authorization', ctx.auth.producer);
      const res = await (r.body?.raw ? req.send(r.body.raw) : req);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(400);
    },
  );
});

import { buildOpenApiDocument } from '../../src/openapi/document';
import { OPERATIONS } from '../../src/routes';
import { createTestContext, type TestContext } from '../kit/context';
import { linksOf } from '../kit/links';

/*
 * Every list of the route table that takes `page` and `limit` documents `Link` on its 200 and sends
 * it: a list added later is covered without being named here.
 */
const doc = JSON.parse(JSON.stringify(buildOpenApiDocument()));
const paged = OPERATIONS.filter(
  (op) => op.method === 'get' && op.query && 'page' in op.query.schema.shape && 'limit' in op.query.schema.shape,
);
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
// Every id is 1: the one actor and one movie made below.
const concrete = (path: string) => path.replace(/:\w+/g, '1');

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.reset();
  // Made through the API, as a client would, so every list (the histories too) has a row to show.
  const producer = ctx.api.as('producer');
  await producer.post('/actors').send({ name: 'Kevin', age: 22, gender: 'male' }).expect(201);
  await producer.post('/movies').send({ title: 'The Prestige', release_date: '2006-10-20' }).expect(201);
  await producer.put('/movies/1/actors/1').expect(201);
});
afterAll(() => ctx.close());

describe('the paged lists of the route table', () => {
  it('include the four lists of actors and movies', () => {
    expect(paged.map((op) => op.path)).toEqual(expect.arrayContaining(['/actors', '/movies', '/movies/:id/actors', '/actors/:id/movies']));
  });

  it.each(paged.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('%s documents Link on 200', (_name, op) => {
    const ok = doc.paths[openApiPath(op.path)][op.method].responses['200'];
    expect(ok.headers.Link).toEqual({ $ref: '#/components/headers/Link' });
    expect(doc.components.headers.Link).toMatchObject({ required: true, schema: { type: 'string' } });
  });

  it.each(paged.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    '%s sends Link: first and last, and next while there is more',
    async (_name, op) => {
      const path = concrete(op.path);
      const one = await ctx.api.as('producer').get(`${path}?limit=1`);
      expect(one.status).toBe(200);
      const links = linksOf(one.headers.link);
      expect(links.first).toBe(`${path}?limit=1&page=1`);
      expect(Object.keys(links)).toEqual(links.next ? ['first', 'next', 'last'] : ['first', 'last']);
      const total = Object.entries(one.body).find(([key]) => key.startsWith('all_'))![1] as number;
      expect(links.last).toBe(`${path}?limit=1&page=${Math.max(1, total)}`);
    },
  );
});

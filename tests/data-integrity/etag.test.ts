import { createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

const kevin = { name: 'Kevin', age: 22, gender: 'male' };
const prestige = { title: 'The Prestige', release_date: '2006-10-20' };

describe.each([
  ['actors', async () => (await insertActors(ctx.db, kevin))[0]!.id, { age: 23 }, { age: 24 }, 'SELECT name, age, gender FROM actors'],
  [
    'movies',
    async () => (await insertMovies(ctx.db, prestige))[0]!.id,
    { title: 'Heat' },
    { title: 'Ronin' },
    'SELECT title, release_date FROM movies',
  ],
] as const)('optimistic concurrency on /%s/:id', (resource, insert, patchA, patchB, selectAll) => {
  const url = (id: number) => `/${resource}/${id}`;
  const get = (id: number) => ctx.api.as('producer').get(url(id));
  const patch = (id: number, body: object, ifMatch?: string) => {
    const req = ctx.api.as('producer').patch(url(id)).send(body);
    return ifMatch === undefined ? req : req.set('If-Match', ifMatch);
  };
  const remove = (id: number, ifMatch: string) => ctx.api.as('producer').delete(url(id)).set('If-Match', ifMatch);

  it('GET returns a strong ETag that changes when the row changes, and 304 for If-None-Match', async () => {
    const id = await insert();
    const first = await get(id);
    expect(first.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect((await get(id)).headers.etag).toBe(first.headers.etag);
    const notModified = await get(id).set('If-None-Match', first.headers.etag!);
    expect(notModified.status).toBe(304);
    await patch(id, patchA).expect(200);
    expect((await get(id)).headers.etag).not.toBe(first.headers.etag);
  });

  it('PATCH with the current ETag succeeds; with a stale one answers 412 and changes nothing', async () => {
    const id = await insert();
    const tag = (await get(id)).headers.etag!;
    expect((await patch(id, patchA, tag)).status).toBe(200);
    const before = await ctx.db.query(selectAll);
    const stale = await patch(id, patchB, tag);
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({
      success: false,
      error: 412,
      code: 'precondition_failed',
      message: expect.stringContaining('GET it again'),
    });
    expect(await ctx.db.query(selectAll)).toEqual(before);
  });

  it('when If-Match names no tag at all, then PATCH answers 412 saying so (nothing has changed) and changes nothing', async () => {
    const id = await insert();
    const before = await ctx.db.query(selectAll);
    const res = await patch(id, patchA, '');
    expect(res.status).toBe(412);
    expect(res.body).toMatchObject({ code: 'precondition_failed', message: expect.stringContaining('names no entity tag') });
    expect(res.body.message).not.toContain('has changed');
    expect(await ctx.db.query(selectAll)).toEqual(before);
  });

  it("PATCH with If-Match answers the new version's ETag, which a GET then gives and the next PATCH can use", async () => {
    const id = await insert();
    const changed = await patch(id, patchA, (await get(id)).headers.etag!).expect(200);
    expect(changed.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect((await get(id)).headers.etag).toBe(changed.headers.etag);
    const next = await patch(id, patchB, changed.headers.etag!).expect(200);
    expect(next.headers.etag).not.toBe(changed.headers.etag);
    expect((await get(id)).headers.etag).toBe(next.headers.etag);
    // Without If-Match no tag is promised (the write is not read back in one transaction).
    expect((await patch(id, patchA)).headers.etag).toBeUndefined();
    expect((await remove(id, '*').expect(200)).headers.etag).toBeUndefined();
  });

  it('of 8 PATCHes sent together with the same If-Match, exactly one wins and the others get 412', async () => {
    const id = await insert();
    const tag = (await get(id)).headers.etag!;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => patch(id, i % 2 ? patchA : patchB, tag)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(7).fill(412)]);
    const winner = results.find((r) => r.status === 200)!.body;
    const stored = await ctx.db.query(selectAll);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject(resource === 'actors' ? { age: winner.modified_actor.age } : { title: winner.modified_movie.title });
  });

  it('DELETE honours If-Match: 412 when stale (nothing deleted), 200 when current', async () => {
    const id = await insert();
    const tag = (await get(id)).headers.etag!;
    await patch(id, patchA).expect(200);
    expect((await remove(id, tag)).status).toBe(412);
    expect(await ctx.db.query(selectAll)).toHaveLength(1);
    const fresh = (await get(id)).headers.etag!;
    expect((await remove(id, fresh)).status).toBe(200);
    expect(await ctx.db.query(selectAll)).toHaveLength(0);
  });

  it('If-Match: * matches any existing row, a list matches any of its tags, a weak tag never matches', async () => {
    const id = await insert();
    const tag = (await get(id)).headers.etag!;
    expect((await patch(id, patchA, '*')).status).toBe(200);
    const current = (await get(id)).headers.etag!;
    expect((await patch(id, patchB, `${tag}, ${current}`)).status).toBe(200);
    const latest = (await get(id)).headers.etag!;
    expect((await patch(id, patchA, `W/${latest}`)).status).toBe(412);
    expect((await patch(id, patchA, 'garbage')).status).toBe(412);
  });

  it('keeps 404 for a missing row and 422 for a bad body, whatever If-Match says', async () => {
    const id = await insert();
    const tag = (await get(id)).headers.etag!;
    expect((await patch(id + 1000, patchA, tag)).status).toBe(404);
    expect((await remove(id + 1000, '*')).status).toBe(404);
    expect((await patch(id, { nope: 1 }, '"stale"')).status).toBe(422);
  });

  it('without If-Match behaves as before: the last writer wins', async () => {
    const id = await insert();
    expect((await patch(id, patchA)).status).toBe(200);
    expect((await patch(id, patchB)).status).toBe(200);
  });
});

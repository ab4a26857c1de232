import pino from 'pino';
import { createPgDb } from '../../src/db/db';
import { containing, listStatement, SHALLOW_ROWS } from '../../src/db/list-sql';
import { FOLD_BATCH, startSearchCountFolds } from '../../src/db/search-counts';
import { loadConfig } from '../../src/config';
import { createTestContext, insertActors, insertMovies, testDatabaseUrl, type TestContext } from '../kit/context';

// Lists whose total is kept (no filter, or a `q` of 1–3 characters: migrations 003 and 006) are read
// differently from the others: the total first, far pages from the other end, the page's ids from the
// sort index. Each answer here is checked against what SQL's own count(*) and ORDER BY … OFFSET say,
// and against the same app with COUNTED_LISTS=off (which reads every list the plain way).
let ctx: TestContext;
let plain: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ config: { searchCacheSize: 0 } });
  plain = await createTestContext({ config: { searchCacheSize: 0, countedLists: false } });
});
afterAll(async () => {
  await plain.close();
  await ctx.close();
});
beforeEach(() => ctx.reset());

const onPostgres = process.env.TEST_DB_KIND === 'postgres' ? it : it.skip;

// Case, accents, characters LIKE treats specially, and letters whose lower case is not ASCII.
const NAMES = [
  'Alice Liddell',
  'ALICE COOPER',
  'alicia keys',
  'Zoë Saldaña',
  'ZOË KRAVITZ',
  'Renée Zellweger',
  'Björk Guðmundsdóttir',
  'Σωκράτης',
  'ΣΑΣ',
  '100% Kevin',
  'Kevin_Bacon',
  'Back\\slash',
  'Ann',
  'ann',
  'Zz',
  '李小龙',
  'Émile 🎬 Hirsch',
  'a',
];

/** Every distinct 1–3-character substring of the names, in both cases, and a few that are in none. */
const fragments = (names: string[]): string[] => {
  const found = new Set<string>(['q', 'xyz', '%%', '_', '\\', '%_', 'ÿ', '🎬', 'É', 'é']);
  for (const name of names) {
    const chars = [...name];
    for (let len = 1; len <= 3; len += 1)
      for (let i = 0; i + len <= chars.length; i += 1) {
        const fragment = chars.slice(i, i + len).join('');
        if (fragment.trim() === fragment) found.add(fragment).add(fragment.toUpperCase());
      }
  }
  return [...found];
};

const sqlCount = async (table: 'actors' | 'movies', q: string): Promise<number> =>
  (
    await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${table === 'actors' ? 'name' : 'title'} ILIKE $1`, [
      containing(q),
    ])
  )[0]!.n;

const fold = async (batch = FOLD_BATCH): Promise<number> => {
  let moved = 0;
  for (;;) {
    const [row] = await ctx.db.query<{ moved: number }>('SELECT search_counts_fold($1) AS moved', [batch]);
    moved += row!.moved;
    if (row!.moved < batch) return moved;
  }
};

/**
 * After a complete fold, search_listed holds exactly the (fragment, id) pairs of the live rows for every
 * listed fragment of 1–2 characters, and nothing else: the differences both ways, as rows.
 */
const listingErrors = async (): Promise<unknown[]> =>
  ctx.db.query(`
    (SELECT 'missing' AS problem, f AS fragment, a.id FROM actors a, search_fragments(a.name) AS f
      WHERE char_length(f) <= 2 AND EXISTS (SELECT 1 FROM search_counts c WHERE c.table_name = 'actors' AND c.fragment = f AND c.listed)
     EXCEPT SELECT 'missing', fragment, row_id FROM search_listed WHERE table_name = 'actors')
    UNION ALL
    (SELECT 'extra', fragment, row_id FROM search_listed WHERE table_name = 'actors'
     EXCEPT SELECT 'extra', f, a.id FROM actors a, search_fragments(a.name) AS f WHERE char_length(f) <= 2)`);

const pending = async (): Promise<number> => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM search_pending'))[0]!.n;

/** Every fragment's all_actors against SQL's count; one assertion over all of them, so a failure lists each wrong one. */
async function expectExactActorCounts(qs: string[]): Promise<void> {
  const wrong: string[] = [];
  for (const q of qs) {
    const res = await ctx.api.as('assistant').get(`/actors?q=${encodeURIComponent(q)}&limit=100`);
    const expected = await sqlCount('actors', q);
    if (res.status !== 200 || res.body.all_actors !== expected || res.body.actors.length !== Math.min(expected, 100)) {
      wrong.push(`${JSON.stringify(q)}: ${res.status} ${res.body.all_actors} (${res.body.actors?.length} rows) ≠ ${expected}`);
    }
  }
  expect(wrong).toEqual([]);
}

const actor = (name: string) => ({ name, age: 30, gender: 'female' });

describe('exact totals of short searches (migration 006)', () => {
  it('are exact for every 1–3-character q of the names, before any fold, after folds, and after renames and deletes', async () => {
    await insertActors(ctx.db, ...NAMES.map(actor));
    const qs = fragments(NAMES);
    expect(await pending()).toBe(NAMES.length);
    await expectExactActorCounts(qs);
    expect(await fold()).toBe(NAMES.length);
    expect(await pending()).toBe(0);
    expect(await listingErrors()).toEqual([]);
    await expectExactActorCounts(qs);

    // Through the API: a rename, a no-op rename, a delete, a new actor.
    const director = ctx.api.as('director');
    expect((await director.patch('/actors/1').send({ name: 'Alice Kingsleigh' })).status).toBe(200);
    expect((await director.patch('/actors/2').send({ name: 'ALICE COOPER' })).status).toBe(200);
    expect((await director.patch('/actors/3').send({ age: 44 })).status).toBe(200);
    expect((await director.delete('/actors/4')).status).toBe(200);
    expect((await director.post('/actors').send(actor('Zoë Deschanel'))).status).toBe(201);
    // Unchanged names and ages add nothing to fold: a rename is -1 old, +1 new; the delete -1; the insert +1.
    expect(await pending()).toBe(4);
    await expectExactActorCounts([...qs, ...fragments(['Alice Kingsleigh', 'Zoë Deschanel'])]);
    await fold(1);
    expect(await listingErrors()).toEqual([]);
    await expectExactActorCounts(qs);
  });

  it('list the rows of a fragment while it has at most 2 000, drop the list past that, and list again from 0', async () => {
    const listed = async (fragment: string) =>
      (
        await ctx.db.query<{ listed: boolean; ids: number }>(
          `SELECT c.listed, (SELECT count(*)::int FROM search_listed l WHERE l.table_name = 'actors' AND l.fragment = $1) AS ids
           FROM search_counts c WHERE c.table_name = 'actors' AND c.fragment = $1`,
          [fragment],
        )
      )[0];
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'Qxana ' || i, 30, 'f' FROM generate_series(1, 2000) i`);
    await fold(300);
    expect(await listed('qx')).toEqual({ listed: true, ids: 2000 });
    await insertActors(ctx.db, actor('Maqx'));
    await fold();
    expect(await listed('qx')).toEqual({ listed: false, ids: 0 });
    expect(await listed('aq')).toEqual({ listed: true, ids: 1 });
    // Unlisted, the page walks the sort order: the same answer.
    const page = await ctx.api.as('assistant').get('/actors?q=QX&sort=-name&limit=3&page=2');
    expect(page.body.all_actors).toBe(2001);
    expect(page.body.actors.map((a: { name: string }) => a.name)).toEqual(['Qxana 996', 'Qxana 995', 'Qxana 994']);
    await ctx.db.query(`DELETE FROM actors WHERE name ILIKE '%qx%'`);
    await fold();
    expect(await listed('qx')).toEqual({ listed: false, ids: 0 }); // its count is 0 now: the next row lists it again
    await insertActors(ctx.db, actor('Qxi'));
    await fold();
    expect(await listed('qx')).toEqual({ listed: true, ids: 1 });
    expect(await listingErrors()).toEqual([]);
    expect((await ctx.api.as('assistant').get('/actors?q=qx')).body).toMatchObject({ all_actors: 1, actors: [{ name: 'Qxi' }] });
  });

  it('follow bulk statements, a TRUNCATE, and are rebuilt by row_counts_recount() after writes that skipped the triggers', async () => {
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'Actor ' || i, i % 90, 'f' FROM generate_series(1, 3000) i`);
    await ctx.db.query(`UPDATE actors SET name = 'Renamed ' || id WHERE id % 3 = 0`);
    await ctx.db.query('DELETE FROM actors WHERE id % 5 = 0');
    await fold(700);
    await ctx.db.query(`UPDATE actors SET name = upper(name) WHERE id % 7 = 0`);
    await expectExactActorCounts(['a', 'ac', 'act', 're', 'ENA', '1', '12', '999', '0', 'r 3']);
    await fold(333);
    expect(await listingErrors()).toEqual([]);

    await ctx.db.query('TRUNCATE movie_actors, actors RESTART IDENTITY CASCADE');
    expect((await ctx.db.query('SELECT * FROM search_counts WHERE table_name = $1', ['actors'])).length).toBe(0);
    await insertActors(ctx.db, actor('Ann'));
    await expectExactActorCounts(['a', 'n', 'ann', 'ct']);

    await ctx.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE actors DISABLE TRIGGER actors_search_insert');
      await tx.query(`INSERT INTO actors (name, age, gender) VALUES ('Hidden Annie', 1, 'f')`);
      await tx.query('ALTER TABLE actors ENABLE TRIGGER actors_search_insert');
    });
    expect((await ctx.api.as('assistant').get('/actors?q=ann')).body.all_actors).toBe(1); // the counts did not see it
    await ctx.db.query('SELECT row_counts_recount()');
    await expectExactActorCounts(['a', 'ann', 'hid', 'e']);
    expect(await pending()).toBe(0);
  });

  it('are exact for movie titles', async () => {
    await insertMovies(ctx.db, ...NAMES.map((title, i) => ({ title, release_date: `20${String(10 + i)}-01-01` })));
    await ctx.api.as('director').patch('/movies/1').send({ title: 'Alice in Wonderland' });
    const wrong: string[] = [];
    for (const q of [...fragments(NAMES), 'won', 'WON']) {
      const res = await ctx.api.as('assistant').get(`/movies?q=${encodeURIComponent(q)}&limit=100`);
      if (res.body.all_movies !== (await sqlCount('movies', q))) wrong.push(q);
      if (q === 'ali') await fold();
    }
    expect(wrong).toEqual([]);
  });

  it('count nothing for a write that rolls back', async () => {
    await insertActors(ctx.db, actor('Ann'));
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO actors (name, age, gender) SELECT 'Ann ' || i, 30, 'f' FROM generate_series(1, 10) i`);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await ctx.api.as('assistant').get('/actors?q=an')).body.all_actors).toBe(1);
    expect(await pending()).toBe(1);
  });

  onPostgres('stay exact in every snapshot while 8 writers rename and add actors and folds run between them', async () => {
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'Ann ' || i, 30, 'f' FROM generate_series(1, 500) i`);
    await fold();
    let writing = true;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; writing; i += 1) {
        await ctx.db.transaction(async (tx) => {
          await tx.query(`UPDATE actors SET name = $1 WHERE id = $2`, [
            i % 2 ? `Bob ${w}-${i}` : `Ann ${w}-${i}`,
            1 + ((w * 61 + i) % 500),
          ]);
          await tx.query(`INSERT INTO actors (name, age, gender) VALUES ($1, 1, 'f')`, [`Anna ${w}`]);
        });
      }
    });
    const folding = (async () => {
      while (writing) await ctx.db.query('SELECT search_counts_fold(7)');
    })();
    // One statement: the kept count and count(*) read the same snapshot and must agree in every one.
    const check = `SELECT (SELECT COALESCE(sum(n), 0) FROM search_counts WHERE table_name = 'actors' AND fragment = $1)
                        + (SELECT COALESCE(sum(sign), 0) FROM search_pending WHERE table_name = 'actors' AND strpos(lower(content), $1) > 0) AS kept,
                          (SELECT count(*) FROM actors WHERE name ILIKE '%' || $1 || '%') AS counted`;
    const disagreements: string[] = [];
    for (let i = 0; i < 150; i += 1) {
      for (const q of ['an', 'bo', 'nna', 'n']) {
        const [row] = await ctx.db.query<{ kept: string; counted: string }>(check, [q]);
        if (row!.kept !== row!.counted) disagreements.push(`${q}: ${row!.kept} vs ${row!.counted}`);
      }
    }
    writing = false;
    await Promise.all([...writers, folding]);
    expect(disagreements).toEqual([]);
    await fold();
    await expectExactActorCounts(['an', 'bo', 'nna', 'n', 'a', '1', '-1']);
  });

  onPostgres('are not folded while the transaction that wrote them is still open, and folded after it commits', async () => {
    const other = createPgDb({ url: testDatabaseUrl(), max: 1 });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const wrote = new Promise<void>((resolve) => (inserted = resolve));
      const open = other.transaction(async (tx) => {
        await tx.query(`INSERT INTO actors (name, age, gender) VALUES ('Ann', 1, 'f')`);
        inserted();
        await held;
      });
      await wrote;
      expect(await fold()).toBe(0);
      release();
      await open;
      expect((await ctx.api.as('assistant').get('/actors?q=an')).body.all_actors).toBe(1);
      expect(await fold()).toBe(1);
      expect((await ctx.api.as('assistant').get('/actors?q=an')).body.all_actors).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('pages of lists with a kept total', () => {
  type Row = { id: number };
  const SORTS = ['id', '-id', 'name', '-name', 'age', '-age'];

  beforeEach(async () => {
    // Repeated names and ages, so ties are broken by id in both directions.
    await ctx.db.query(`INSERT INTO actors (name, age, gender)
                        SELECT (ARRAY['Ann', 'Bob', 'ann', 'Al Pacino', 'Zed'])[1 + i % 5] || CASE WHEN i % 4 = 0 THEN '' ELSE ' ' || (i % 7) END,
                               20 + i % 6, 'f' FROM generate_series(1, 53) i`);
  });

  const expected = async (sort: string, q: string | undefined, page: number, limit: number): Promise<number[]> => {
    const column = sort.replace('-', '');
    const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
    const order = column === 'id' ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
    const where = q === undefined ? '' : 'WHERE name ILIKE $3';
    const params: unknown[] = [limit, (page - 1) * limit, ...(q === undefined ? [] : [containing(q)])];
    return (await ctx.db.query<Row>(`SELECT id FROM actors ${where} ORDER BY ${order} LIMIT $1 OFFSET $2`, params)).map((r) => r.id);
  };

  it.each([
    ['listed', false],
    ['not listed (the sort order walked)', true],
  ])(
    'are the rows SQL puts on that page, in every sort, on every page up to one past the last, with and without a short q: %s',
    async (_, unlisted) => {
      if (unlisted) {
        await fold();
        await ctx.db.query('UPDATE search_counts SET listed = false');
      }
      const wrong: string[] = [];
      for (const q of [undefined, 'a', 'an', 'AL ', 'zed', 'q']) {
        for (const sort of SORTS) {
          for (const limit of [5, 7]) {
            const total = q === undefined ? 53 : await sqlCount('actors', q);
            for (let page = 1; page <= Math.ceil(total / limit) + 1; page += 1) {
              const path = `/actors?sort=${sort}&limit=${limit}&page=${page}${q === undefined ? '' : `&q=${encodeURIComponent(q)}`}`;
              const res = await ctx.api.as('assistant').get(path);
              const ids = (res.body.actors as Row[]).map((a) => a.id);
              const want = await expected(sort, q, page, limit);
              if (res.body.all_actors !== total || JSON.stringify(ids) !== JSON.stringify(want))
                wrong.push(`${path}: ${ids} (${res.body.all_actors}) ≠ ${want} (${total})`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it('are the rows SQL puts on each page past the first SHALLOW_ROWS rows of an unfiltered list, in every sort', async () => {
    // Pages from SHALLOW_ROWS on, with the middle of the list among them (both ways to a page).
    await ctx.db.query(`INSERT INTO actors (name, age, gender)
                        SELECT 'Actor ' || (i % 300), 20 + i % 50, 'f' FROM generate_series(1, ${2 * SHALLOW_ROWS + 200 - 53}) i`);
    const total = 2 * SHALLOW_ROWS + 200;
    const limit = 50;
    const wrong: string[] = [];
    for (const sort of SORTS) {
      for (let page = SHALLOW_ROWS / limit; page <= total / limit + 1; page += 1) {
        const res = await ctx.api.as('assistant').get(`/actors?sort=${sort}&limit=${limit}&page=${page}`);
        const ids = (res.body.actors as Row[]).map((a) => a.id);
        const want = await expected(sort, undefined, page, limit);
        if (res.body.all_actors !== total || JSON.stringify(ids) !== JSON.stringify(want)) wrong.push(`${sort} page ${page}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answer byte for byte what COUNTED_LISTS=off answers, Link header included', async () => {
    const paths = [
      '/actors?limit=5&page=11',
      '/actors?sort=-name&limit=5&page=9',
      '/actors?q=an&sort=age&limit=4&page=5',
      '/movies?page=1',
    ];
    for (const path of paths) {
      const [counted, uncounted] = [await ctx.api.as('assistant').get(path), await plain.api.as('assistant').get(path)];
      expect(counted.status).toBe(200);
      expect(counted.text).toBe(uncounted.text);
      expect(counted.headers.link).toBe(uncounted.headers.link);
    }
  });

  it('read the far half of a list from its other end (the plan shows the backward branch run, the forward one never)', async () => {
    // EXPLAIN ANALYZE of the statement the repository sends for the last page, on the real database.
    const spec = {
      table: 'actors',
      alias: 'a',
      columns: 'a.id, a.name',
      sortColumns: { id: 'id', name: 'name' },
      filters: { q: (p: string) => `a.name ILIKE ${p}` },
      total: () => `(SELECT sum(n) FROM row_counts WHERE table_name = 'actors')::int`,
    };
    const { sql, params } = listStatement(spec, { page: 11, limit: 5, sort: { field: 'name', descending: false } }, { shallowRows: 0 });
    const plan = (await ctx.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`, params))
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    // The forward branch's scan never ran; the backward one read the 3 rows of the last page and no more.
    expect(plan).toMatch(/Index (Only )?Scan using actors_name_id_idx on actors \w+ \(never executed\)/);
    expect(plan).toMatch(/Index (Only )?Scan Backward using actors_name_id_idx on actors \w+ \(actual rows=3(\.00)? loops=1\)/);
  });
});

describe('the fold that runs in the server (src/db/search-counts.ts)', () => {
  it('empties search_pending within a few ticks, in batches', async () => {
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'Ann ' || i, 30, 'f' FROM generate_series(1, 2500) i`);
    expect(await pending()).toBe(2500);
    const folds = startSearchCountFolds(ctx.db, pino({ level: 'silent' }), 20);
    try {
      for (let i = 0; i < 100 && (await pending()) > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await folds.stop();
    }
    expect(await pending()).toBe(0);
    await expectExactActorCounts(['ann', 'n 1', '25']);
  });

  it('vacuums search_pending after folds, not before 10 s have passed', async () => {
    // A vacuum of a table whose rows are all dead truncates it to 0 pages: the size shows whether one ran.
    const size = async () => (await ctx.db.query<{ n: number }>(`SELECT pg_relation_size('search_pending')::int AS n`))[0]!.n;
    const waitFor = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 250 && !(await done()); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await ctx.db.query(`INSERT INTO actors (name, age, gender) SELECT 'Ann ' || i, 30, 'f' FROM generate_series(1, 500) i`);
    let clock = 0;
    const folds = startSearchCountFolds(ctx.db, pino({ level: 'silent' }), 10, () => clock);
    try {
      await waitFor(async () => (await pending()) === 0);
      clock = 9_999;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await size()).toBeGreaterThan(0);
      clock = 10_000;
      await waitFor(async () => (await size()) === 0);
      expect(await size()).toBe(0);
    } finally {
      await folds.stop();
    }
    await expectExactActorCounts(['ann', '50']);
  });

  it('logs a failed fold and keeps going', async () => {
    const closed = createPgDb({ url: testDatabaseUrl(), max: 1 });
    await closed.close();
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    const folds = startSearchCountFolds(closed, logger, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await folds.stop();
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatch(/folding pending search counts failed/);
  });
});

describe('COUNTED_LISTS', () => {
  it('is on by default, off with off, and refuses anything else', () => {
    expect(loadConfig({}).countedLists).toBe(true);
    expect(loadConfig({ COUNTED_LISTS: 'off' }).countedLists).toBe(false);
    expect(() => loadConfig({ COUNTED_LISTS: 'no' })).toThrow(/COUNTED_LISTS.*on or off/);
  });
});

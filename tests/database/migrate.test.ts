import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgDb, type Db } from '../../src/db/db';
import { migrate, seed } from '../../src/db/migrate';
import { ROOT } from '../kit/commands';
import { countRows, resetTables, testDatabaseUrl } from '../kit/context';

let db: Db;
let dir: string;
const suffix = `${process.pid}_${Date.now()}`;
const tables = [`mig_a_${suffix}`, `mig_b_${suffix}`];
const files = [`001_a_${suffix}.sql`, `002_b_${suffix}.sql`];

const tableExists = async (name: string) =>
  (await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]))[0]!.t !== null;

beforeAll(() => {
  db = createPgDb({ url: testDatabaseUrl(), max: 4 });
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const t of tables) await db.query(`DROP TABLE IF EXISTS ${t}`);
  await db.query('DELETE FROM schema_migrations WHERE name = ANY($1)', [files]);
});
afterAll(() => db.close());

describe('migrate', () => {
  it('has applied every migration in database/migrations to the test database', async () => {
    const names = (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
    const shipped = readdirSync(path.join(ROOT, 'database', 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(names).toEqual(expect.arrayContaining(shipped));
  });

  it('applies pending migrations in order, once, and nothing on a second run', async () => {
    writeFileSync(path.join(dir, files[0]!), `CREATE TABLE ${tables[0]} (id int)`);
    writeFileSync(path.join(dir, files[1]!), `ALTER TABLE ${tables[0]} ADD COLUMN b int; CREATE TABLE ${tables[1]} (id int)`);
    writeFileSync(path.join(dir, 'README.txt'), 'not a migration');
    expect(await migrate(db, dir)).toEqual(files);
    expect(await migrate(db, dir)).toEqual([]);
    expect(await tableExists(tables[1]!)).toBe(true);
  });

  it('is safe when two processes migrate at the same moment', async () => {
    writeFileSync(path.join(dir, files[0]!), `CREATE TABLE ${tables[0]} (id int)`);
    const other = createPgDb({ url: testDatabaseUrl(), max: 2 });
    try {
      const results = await Promise.all([migrate(db, dir), migrate(other, dir)]);
      expect(results.map((r) => r.length).sort()).toEqual([0, 1]);
    } finally {
      await other.close();
    }
    const rows = await db.query('SELECT name FROM schema_migrations WHERE name = $1', [files[0]]);
    expect(rows).toHaveLength(1);
  });

  it('applies nothing and records nothing when a migration fails', async () => {
    writeFileSync(path.join(dir, files[0]!), `CREATE TABLE ${tables[0]} (id int)`);
    writeFileSync(path.join(dir, files[1]!), 'CREATE TABLE broken (');
    await expect(migrate(db, dir)).rejects.toThrow();
    expect(await tableExists(tables[0]!)).toBe(false);
    expect(await db.query('SELECT name FROM schema_migrations WHERE name = ANY($1)', [files])).toEqual([]);
  });
});

describe('seed', () => {
  it('loads the sample actors and movies once, however often it runs', async () => {
    await resetTables(db);
    await seed(db);
    await seed(db);
    expect((await db.query('SELECT name, age FROM actors ORDER BY id')).map((r) => r.name)).toEqual(['Kevin', 'Diego', 'Daniel', 'Miguel']);
    expect(await db.query('SELECT title, release_date FROM movies ORDER BY id')).toEqual([
      { title: 'The Prestige', release_date: '2006-10-20' },
      { title: 'Spider-Man 3', release_date: '2007-05-04' },
      { title: 'Spectre', release_date: '2015-11-06' },
    ]);
    expect(await countRows(db, 'actors')).toBe(4);
    await resetTables(db);
  });
});

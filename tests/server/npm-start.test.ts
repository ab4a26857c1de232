import { appendFileSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { testDatabaseUrl } from '../kit/context';
import { projectCopy } from '../kit/project-copy';
import { spawnServer } from '../kit/server-process';

async function startOnce(dir: string): Promise<string> {
  const server = await spawnServer(
    { DATABASE_URL: testDatabaseUrl(), PG_POOL_MAX: '2' },
    { args: ['scripts/start.js'], cwd: dir, awaitListening: false },
  );
  try {
    const { port } = await server.waitFor((l) => l.msg.startsWith('listening on'));
    expect((await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } })).status).toBe(200);
  } finally {
    await server.stop('SIGTERM');
  }
  return server.stderr;
}

describe('npm start (scripts/start.js)', () => {
  let dir: string;
  beforeAll(() => {
    dir = projectCopy();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles every file and builds the web app the first time, nothing when both are up to date, and only what changed', async () => {
    const fileCount = readdirSync(path.join(dir, 'src'), { recursive: true }).filter((f) => String(f).endsWith('.ts')).length;
    const first = await startOnce(dir);
    expect(first).toMatch(new RegExp(`compiled ${fileCount} changed file\\(s\\)`));
    expect(first).toContain('built the web app');
    expect(readFileSync(path.join(dir, 'dist/web/index.html'), 'utf8')).toContain('/app/assets/');
    const second = await startOnce(dir);
    expect(second).not.toContain('compiled');
    expect(second).not.toContain('built the web app');

    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(dir, 'src/app.ts'), later, later);
    // A file touched but not changed is not a reason to build the web app: its content is what counts.
    utimesSync(path.join(dir, 'web/index.html'), later, later);
    const third = await startOnce(dir);
    expect(third).toContain('compiled 1 changed file(s)');
    expect(third).not.toContain('built the web app');
    // Three starts, the first with a full compile and a Vite build.
  }, 60_000);

  it('builds the web app again when a file under web/ changes, replacing the old build whole', async () => {
    const assetsBefore = readdirSync(path.join(dir, 'dist/web/assets'));
    appendFileSync(path.join(dir, 'web/src/styles.css'), '\n.npm-start-test { color: inherit; }\n');
    expect(await startOnce(dir)).toContain('built the web app');
    const assetsAfter = readdirSync(path.join(dir, 'dist/web/assets'));
    // The stylesheet's content changed, so did its hashed name; the old one is gone with the old build.
    expect(assetsAfter.filter((f) => f.endsWith('.css'))).not.toEqual(assetsBefore.filter((f) => f.endsWith('.css')));
    expect(assetsAfter).toHaveLength(assetsBefore.length);
    expect(await startOnce(dir)).not.toContain('built the web app');
  }, 60_000);
});

import { readdirSync, rmSync, utimesSync } from 'node:fs';
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

  it('compiles every file the first time, nothing when dist/ is up to date, and only what changed', async () => {
    const fileCount = readdirSync(path.join(dir, 'src'), { recursive: true }).filter((f) => String(f).endsWith('.ts')).length;
    expect(await startOnce(dir)).toMatch(new RegExp(`compiled ${fileCount} changed file\\(s\\)`));
    expect(await startOnce(dir)).not.toContain('compiled');

    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(dir, 'src/app.ts'), later, later);
    expect(await startOnce(dir)).toContain('compiled 1 changed file(s)');
  });
});

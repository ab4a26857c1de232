import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import { onServer } from '../tests/kit/test-database';
import { packageVersion } from './machine';

export type BenchDatabase = { url: string; label: string; version: string; drop(): Promise<void> };

const TSX = require.resolve('tsx/cjs');

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [row] = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows;
    return `PostgreSQL ${row!.v}`;
  } finally {
    await client.end();
  }
}

/** A new database on the server BENCH_DATABASE_URL names, dropped afterwards. */
async function onBenchServer(adminUrl: string): Promise<BenchDatabase> {
  const database = await onServer(adminUrl, 'casting_agency_bench');
  const url = new URL(database.url);
  return {
    url: database.url,
    label: `PostgreSQL server at ${url.host} (BENCH_DATABASE_URL), database ${url.pathname.slice(1)}`,
    version: await serverVersion(database.url),
    drop: () => database.drop(),
  };
}

/** In-memory PGlite in a child process (bench/embedded-server.ts). */
async function embedded(): Promise<BenchDatabase> {
  const child = spawn(process.execPath, ['--require', TSX, path.join(__dirname, 'embedded-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => [null])])) as [Buffer | null];
  if (!chunk) throw new Error('the embedded database did not start');
  const { url } = JSON.parse(chunk.toString()) as { url: string };
  return {
    url,
    label: 'EMBEDDED PGlite (in memory, WebAssembly, one backend shared by every connection): not a production setup',
    version: `${await serverVersion(url)} (PGlite ${packageVersion('@electric-sql/pglite')})`,
    async drop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export const openBenchDatabase = (adminUrl: string | undefined): Promise<BenchDatabase> =>
  adminUrl ? onBenchServer(adminUrl) : embedded();

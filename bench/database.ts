import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
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
async function onServer(adminUrl: string): Promise<BenchDatabase> {
  const name = `casting_agency_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: `PostgreSQL server at ${url.host} (BENCH_DATABASE_URL), database ${name}`,
    version: await serverVersion(url.toString()),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
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

export const openBenchDatabase = (adminUrl: string | undefined): Promise<BenchDatabase> => (adminUrl ? onServer(adminUrl) : embedded());

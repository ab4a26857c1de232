import { mkdirSync } from 'node:fs';

export type EmbeddedServer = {
  url: string;
  /** The whole database as it is now, to start another from (`copyOf`): much faster than a new one. */
  snapshot(): Promise<Blob>;
  stop(): Promise<void>;
};

/**
 * Runs PGlite (PostgreSQL compiled to WebAssembly) in this process and serves it on a loopback
 * port, so the application reaches it through the same `pg` pool as a real server.
 * `dir` is a folder for its files, or `memory://` for a database that keeps nothing; `copyOf`, a
 * snapshot of another to start from.
 */
export async function startEmbedded(dir: string, maxConnections: number, copyOf?: Blob): Promise<EmbeddedServer> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // PGlite ships contrib extensions as separate modules; migration 002 needs pg_trgm for `q` searches.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir, { extensions: { pg_trgm }, ...(copyOf ? { loadDataDir: copyOf } : {}) });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    snapshot: () => db.dumpDataDir('none'),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

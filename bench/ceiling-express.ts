import express from 'express';
import { actorsRepository } from '../src/actors/actors.repository';
import { createPgDb } from '../src/db/db';

/**
 * Ceiling 2: bare Express 5 running the API's own list query (the repository, count included), without
 * auth, validation, logging or CORS. What is left between this and the API is what our middleware costs.
 */
const db = createPgDb({ url: process.env.DATABASE_URL!, ssl: 'off', max: Number(process.env.PG_POOL_MAX ?? 10) });
const actors = actorsRepository({ maxEntries: 0, maxAgeMs: 0 });

const app = express();
app.set('etag', false);
app.get('/ready', (_req, res) => void res.json({ ready: true }));
app.get('/actors', async (_req, res) => {
  const { items, total } = await actors.list(db, { page: 1, limit: 20, sort: { field: 'id', descending: false } });
  res.json({ success: true, actors: items, all_actors: total, page: 1, limit: 20 });
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => void db.close().then(() => process.exit(0))));

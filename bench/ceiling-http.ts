import { createServer } from 'node:http';
import pg from 'pg';

/**
 * Ceiling 1: the fastest way to serve the list page in Node — node:http and one pg query, no framework,
 * no auth, no validation, no count, no logging. The API is measured as a share of this.
 */
const PAGE = 'SELECT id, name, age, gender FROM actors ORDER BY id LIMIT $1 OFFSET $2';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 10) });

const server = createServer((req, res) => {
  if (req.url === '/ready') return void res.writeHead(200).end();
  pool
    .query(PAGE, [20, 0])
    .then(({ rows }) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ success: true, actors: rows, page: 1, limit: 20 }));
    })
    .catch(() => res.writeHead(500).end());
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));

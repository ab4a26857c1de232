import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { openRaw, parseAnswer, trickle } from '../kit/raw-connection';
import { testDatabaseUrl } from '../kit/context';
import { AUDIENCE, TestIssuer } from '../kit/issuer';
import { spawnServer } from '../kit/server-process';

let issuer: TestIssuer;
let dataDir: string;
beforeAll(async () => {
  issuer = await TestIssuer.start();
  dataDir = mkdtempSync(path.join(tmpdir(), 'casting-server-'));
});
afterAll(async () => {
  await issuer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const authEnv = () => ({ ISSUER_BASE_URL: issuer.url, AUDIENCE });
const embeddedEnv = () => ({ ...authEnv(), EMBEDDED_DB_DIR: path.join(dataDir, 'pglite') });
/**
 * The run's test database (on the embedded run, the PGlite that global setup serves on loopback):
 * no cold start of an embedded database per test. The restart test below covers the embedded path.
 */
const databaseEnv = (): Record<string, string> => ({ ...authEnv(), DATABASE_URL: testDatabaseUrl() });

describe('the server process', () => {
  it.each(['Pacific/Kiritimati', 'America/Adak'])(
    'returns release_date exactly as given when TZ=%s, then exits 0 on SIGTERM',
    async (tz) => {
      const server = await spawnServer({ ...databaseEnv(), TZ: tz });
      try {
        const producer = `Bearer ${issuer.token('producer')}`;
        const created = await request(server.url)
          .post('/movies')
          .set('Authorization', producer)
          .send({ title: `TZ ${tz}`, release_date: '2006-10-20' });
        expect(created.body.new_movie.release_date).toBe('2006-10-20');
        const got = await request(server.url).get(`/movies/${created.body.created_id}`).set('Authorization', producer);
        expect(got.body.movie.release_date).toBe('2006-10-20');
        const patched = await request(server.url)
          .patch(`/movies/${created.body.created_id}`)
          .set('Authorization', producer)
          .send({ release_date: '2000-01-01' });
        expect(patched.body).toMatchObject({ old_movie: { release_date: '2006-10-20' }, modified_movie: { release_date: '2000-01-01' } });
        await request(server.url).delete(`/movies/${created.body.created_id}`).set('Authorization', producer).expect(200);
      } finally {
        const { code, ms } = await server.stop('SIGTERM');
        expect(code).toBe(0);
        expect(ms).toBeLessThan(10_000);
        expect(server.output()).toContain('shutting down');
      }
    },
  );

  it('creates and seeds the embedded database on first start and keeps changes across a restart', async () => {
    const director = `Bearer ${issuer.token('director')}`;
    const first = await spawnServer(embeddedEnv());
    let kevinId: number;
    try {
      const list = await request(first.url).get('/actors').set('Authorization', director);
      expect(list.body.actors.map((a: { name: string }) => a.name)).toEqual(['Kevin', 'Diego', 'Daniel', 'Miguel']);
      kevinId = list.body.actors[0].id;
      await request(first.url).delete(`/actors/${kevinId}`).set('Authorization', director).expect(200);
      await request(first.url).post('/actors').set('Authorization', director).send({ name: 'Ana', age: 30, gender: 'female' }).expect(201);
    } finally {
      expect((await first.stop()).code).toBe(0);
    }
    const second = await spawnServer(embeddedEnv());
    try {
      const list = await request(second.url).get('/actors').set('Authorization', director);
      expect(list.body.actors.map((a: { name: string }) => a.name)).toEqual(['Diego', 'Daniel', 'Miguel', 'Ana']);
    } finally {
      await second.stop();
    }
  });

  it('cuts a slow body off with our JSON 408 after HTTP_REQUEST_TIMEOUT_MS and closes connections beyond MAX_CONNECTIONS', async () => {
    const server = await spawnServer({ ...databaseEnv(), HTTP_REQUEST_TIMEOUT_MS: '1000', MAX_CONNECTIONS: '2' });
    try {
      const port = Number(new URL(server.url).port);
      const slow = await openRaw(port);
      slow.socket.write(
        `POST /actors HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${issuer.token('producer')}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"',
      );
      trickle(slow.socket, 'x', 100);
      const second = await openRaw(port);
      second.socket.write('GET /health HTTP/1.1\r\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const beyond = await (await openRaw(port)).closed;
      expect(beyond).toEqual({ text: '', ms: expect.any(Number) });
      expect(beyond.ms).toBeLessThan(500);

      const { text, ms } = await slow.closed;
      expect(parseAnswer(text).head).toMatch(/^HTTP\/1\.1 408 /);
      expect(parseAnswer(text).body).toMatchObject({ success: false, error: 408 });
      expect(ms).toBeLessThan(2_500);
      second.socket.destroy();
    } finally {
      await server.stop();
    }
  });

  it('refuses to start in production without an issuer, an audience and a database, in one line', async () => {
    const server = await spawnServer({ NODE_ENV: 'production' }, { awaitListening: false });
    expect(await server.exit()).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/NODE_ENV=production needs ISSUER_BASE_URL.*AUDIENCE.*DATABASE_URL/);
  });

  it('stops with a message naming a bad variable', async () => {
    const server = await spawnServer({ PORT: 'eighty' }, { awaitListening: false });
    expect(await server.exit()).toBe(1);
    expect(server.output()).toMatch(/PORT/);
  });
});

import pino from 'pino';
import { workerCount } from '../../src/cluster';
import { loadConfig } from '../../src/config';
import { testDatabaseUrl } from '../kit/context';
import { spawnServer, type ServerProcess } from '../kit/server-process';

const running: ServerProcess[] = [];
const start = async (env: Record<string, string>) => {
  const server = await spawnServer(env, { awaitListening: false });
  running.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
});

const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } })).status;
const pidsServing = (server: ServerProcess) => new Set(server.listening().map((l) => l.pid));

describe('WEB_CONCURRENCY (Node cluster)', () => {
  it('runs that many workers on one port, replaces one that dies, and exits 0 on SIGTERM', async () => {
    const server = await start({ WEB_CONCURRENCY: '2', DATABASE_URL: testDatabaseUrl(), PG_POOL_MAX: '2' });
    await server.waitFor((l) => l.msg.startsWith('starting 2 worker processes'));
    const first = await server.waitFor((l) => l.msg.startsWith('listening on'));
    await server.waitFor(() => pidsServing(server).size === 2);
    expect(server.child.pid).not.toBeUndefined();
    expect(pidsServing(server).has(server.child.pid!)).toBe(false);
    expect(await health(first.port!)).toBe(200);

    const victim = [...pidsServing(server)][0]!;
    process.kill(victim, 'SIGKILL');
    await server.waitFor((l) => l.msg === 'a worker died; starting another');
    await server.waitFor(() => pidsServing(server).size === 3);
    expect(await health(first.port!)).toBe(200);

    expect((await server.stop('SIGTERM')).code).toBe(0);
    expect(
      server.lines
        .filter((l) => l.msg.startsWith('shutting down'))
        .map((l) => l.pid)
        .sort(),
    ).toEqual([...pidsServing(server)].filter((pid) => pid !== victim).sort());
  });

  it('stops with exit code 1 when the workers cannot start', async () => {
    const server = await start({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(await server.exit()).toBe(1);
    expect(server.lines.map((l) => l.msg)).toContain('a worker failed to start; stopping');
    expect(server.listening()).toEqual([]);
    expect(server.stderr).toContain('cannot start');
  });

  it.each([
    ['the embedded database', 3, 1, { kind: 'embedded', dir: 'memory://', poolMax: 1 }],
    ['PostgreSQL', 3, 3, { kind: 'postgres', url: 'postgres://h/db', ssl: 'auto', poolMax: 1 }],
    ['PostgreSQL without WEB_CONCURRENCY', 1, 1, { kind: 'postgres', url: 'postgres://h/db', ssl: 'auto', poolMax: 1 }],
  ] as const)('plans the workers on %s: WEB_CONCURRENCY=%d gives %d', (_label, webConcurrency, expected, database) => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    expect(workerCount({ webConcurrency, database }, logger)).toBe(expected);
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('WEB_CONCURRENCY ignored'));
    expect(warned).toHaveLength(database.kind === 'embedded' ? 1 : 0);
  });
});

describe('WEB_CONCURRENCY in the configuration', () => {
  it('defaults to 1 and takes a whole number from 1 to 64', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4);
  });

  it.each(['0', '65', 'two', '1.5'])('refuses WEB_CONCURRENCY=%s, naming the variable', (value) => {
    expect(() => loadConfig({ WEB_CONCURRENCY: value })).toThrow(/WEB_CONCURRENCY/);
  });
});

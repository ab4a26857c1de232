import { connect } from 'node:net';
import { testDatabaseUrl } from '../kit/context';
import { AUDIENCE, TestIssuer } from '../kit/issuer';
import { run } from '../kit/commands';
import { spawnServer } from '../kit/server-process';

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function until(what: string, found: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !found(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

/** The error code of a new connection to `port` ('connected' if it was accepted). */
const connectResult = (port: number) =>
  new Promise<string>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

describe('unhandled errors', () => {
  it.each([
    ['rejection', 'boom: a rejection nobody handled'],
    ['exception', 'boom: an exception nobody caught'],
  ])('an unhandled %s is logged as fatal and ends the process with code 1', async (kind, message) => {
    const { code, stdout } = await run(process.execPath, ['--import', 'tsx', 'tests/server/fixtures/crash.ts', kind], {
      PATH: process.env.PATH,
    });
    expect(code).toBe(1);
    const fatal = jsonLines(stdout).find((l) => l.level === 60);
    expect(fatal).toMatchObject({ err: { message }, msg: expect.stringContaining('exiting so the platform restarts') });
    expect(stdout).not.toContain('still running');
  });
});

describe('SIGTERM', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.close());

  it('lets a request in flight finish, refuses new connections, and exits 0 within 10 s', async () => {
    const env = { DATABASE_URL: testDatabaseUrl(), ISSUER_BASE_URL: issuer.url, AUDIENCE, NODE_ENV: 'test' };
    const server = await spawnServer(env);
    const port = Number(new URL(server.url).port);
    try {
      // A slow upload: the headers now (the server answers 100 Continue once it is handling the
      // request), the body only after SIGTERM.
      const body = JSON.stringify({ name: 'Slow Upload', age: 40, gender: 'female' });
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        `POST /actors HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${issuer.token('director')}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
      );
      await until('100 Continue', () => answer.startsWith('HTTP/1.1 100 Continue'));
      socket.write(body.slice(0, 10));

      const exited = server.stop('SIGTERM');
      await until('the shutdown log line', () => server.output().includes('shutting down'));
      await expect(connectResult(port)).resolves.toBe('ECONNREFUSED');

      // Not `end()`: a client that half-closes its side has its request aborted by Node.
      socket.write(body.slice(10));
      await closed; // by the server, after its answer: `Connection: close`
      const [head, json] = answer.replace(/^HTTP\/1.1 100 Continue\r\n\r\n/, '').split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1.1 201 Created/);
      expect(head).toMatch(/\r\nConnection: close/i);
      expect(JSON.parse(json!)).toMatchObject({ success: true, new_actor: { name: 'Slow Upload', age: 40, gender: 'female' } });

      const { code, ms } = await exited;
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect(jsonLines(server.output()).map((l) => l.msg)).toContain('stopped');
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { AUDIENCE, TestIssuer } from '../helpers/issuer';

const ROOT = path.resolve(__dirname, '../..');

type Run = { child: ChildProcess; lines: Array<Record<string, unknown>>; exited: Promise<{ code: number | null; at: number }> };

/** Runs a TypeScript entry point as a real process; its stdout is parsed as JSON log lines. */
function run(script: string, args: string[] = [], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) lines.push(part.startsWith('{') ? (JSON.parse(part) as Record<string, unknown>) : { text: part });
  });
  child.stderr!.on('data', (chunk: Buffer) => lines.push({ stderr: chunk.toString() }));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  return { child, lines, exited };
}

async function until<T>(what: string, find: () => T | undefined, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const found = find();
    if (found !== undefined) return found;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('unhandled errors', () => {
  it.each([
    ['rejection', 'boom: a rejection nobody handled'],
    ['exception', 'boom: an exception nobody caught'],
  ])('an unhandled %s is logged as fatal and ends the process with code 1', async (kind, message) => {
    const { lines, exited } = run('tests/hardening/fixtures/crash.ts', [kind]);
    expect((await exited).code).toBe(1);
    const fatal = lines.find((l) => l.level === 60);
    expect(fatal).toMatchObject({ err: { message }, msg: expect.stringContaining('exiting so the platform restarts') });
    expect(lines).not.toContainEqual({ text: 'still running' });
  });
});

describe('SIGTERM', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.close());

  it('lets a request in flight finish, refuses new connections, and exits 0 within 10 s', async () => {
    const server = run('src/server.ts', [], {
      EMBEDDED_DB_DIR: 'memory://',
      DATABASE_URL: '',
      PORT: '0',
      ISSUER_BASE_URL: issuer.url,
      AUDIENCE,
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
    });
    try {
      const port = await until(
        'the server to listen',
        () => server.lines.find((l) => String(l.msg).startsWith('listening'))?.port as number,
      );

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
      await until('100 Continue', () => (answer.startsWith('HTTP/1.1 100 Continue') ? true : undefined));
      socket.write(body.slice(0, 10));

      const signalled = Date.now();
      server.child.kill('SIGTERM');
      await until('the shutdown log line', () => server.lines.find((l) => String(l.msg).startsWith('shutting down')));
      await expect(refused(port)).resolves.toBe('ECONNREFUSED');

      // Not `end()`: a client that half-closes its side has its request aborted by Node.
      socket.write(body.slice(10));
      await closed; // by the server, after its answer: `Connection: close`
      const [head, json] = answer.replace(/^HTTP\/1.1 100 Continue\r\n\r\n/, '').split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1.1 201 Created/);
      expect(head).toMatch(/\r\nConnection: close/i);
      expect(JSON.parse(json!)).toMatchObject({ success: true, new_actor: { name: 'Slow Upload', age: 40, gender: 'female' } });

      const { code, at } = await server.exited;
      expect(code).toBe(0);
      expect(at - signalled).toBeLessThan(10_000);
      expect(server.lines.map((l) => l.msg)).toContain('stopped');
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000); // the embedded database's cold start is most of it
});

/** Resolves with the error code of a new connection to `port`, or 'connected'. */
function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s: Socket = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './commands';

/** One JSON line of the server's log (pino). */
export type LogLine = { level: number; pid: number; msg: string; port?: number; [key: string]: unknown };

export type SpawnOptions = {
  /** Replaces `node <tsx> src/server.ts` after the Node binary (e.g. `['scripts/start.js']`). */
  args?: string[];
  /** Defaults to a new empty directory, removed on exit: no `.env` is read, no `.data/` is written. */
  cwd?: string;
  /** Whether the promise waits for the "listening on" line (default) or resolves once spawned. */
  awaitListening?: boolean;
  timeoutMs?: number;
};

// tsx by its absolute path: `--import tsx` alone resolves from the cwd, which may be empty.
const TSX = pathToFileURL(require.resolve('tsx')).href;
const SERVER = path.join(ROOT, 'src/server.ts');

/** `src/server.ts` (or `args`) as its own process: what `npm start` and the platform run. */
export class ServerProcess {
  readonly lines: LogLine[] = [];
  stdout = '';
  stderr = '';
  private everything = '';
  private readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.stdout += text;
      this.everything += text;
      const complete = (partial + text).split('\n');
      partial = complete.pop()!;
      for (const line of complete) if (line.startsWith('{')) this.lines.push(JSON.parse(line) as LogLine);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.everything += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
  }

  /** Everything it wrote, stdout and stderr in the order they came. */
  output(): string {
    return this.everything;
  }

  /** The port of its first "listening on" line. */
  get port(): number {
    const port = this.listening()[0]?.port;
    if (port === undefined) throw new Error(`the server has not said it listens: ${this.everything.slice(-2000)}`);
    return port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  listening(): LogLine[] {
    return this.lines.filter((l) => l.msg.startsWith('listening on'));
  }

  /** Resolves with the first log line that matches, polling the lines read so far. */
  async waitFor(match: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(`no such log line; got: ${this.lines.map((l) => l.msg).join(' | ')}; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  exit(): Promise<number | null> {
    return this.exited;
  }

  /** Sends the signal (if it still runs) and resolves with the exit code and how long the exit took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    if (this.child.exitCode === null) this.child.kill(signal);
    const code = await this.exited;
    return { code, ms: Date.now() - started };
  }
}

/**
 * Starts the real server with only `env` (over PATH, PORT=0 and LOG_LEVEL=info) and, unless told
 * not to, resolves once it listens; a server that exits or stays silent first fails the start.
 */
export async function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServerProcess> {
  const { args = ['--import', TSX, SERVER], awaitListening = true, timeoutMs = 20_000 } = options;
  const cwd = options.cwd ?? mkdtempSync(path.join(tmpdir(), 'casting-agency-server-'));
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = new ServerProcess(child);
  if (!options.cwd) void server.exit().then(() => rmSync(cwd, { recursive: true, force: true }));
  if (!awaitListening) return server;
  try {
    await server.waitFor((l) => l.msg.startsWith('listening on'), timeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`the server did not start:\n${server.output()}`, { cause: err });
  }
  return server;
}

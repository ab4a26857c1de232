import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = require.resolve('tsx/cjs');

export type LogLine = { level: number; pid: number; msg: string; port?: number; [key: string]: unknown };

/**
 * `src/server.ts` as its own process, the way `node dist/server.js` runs it (through tsx, so no build
 * is needed), in an empty directory: no `.env` is read and the development key is made there.
 */
export class LoggedProcess {
  readonly lines: LogLine[] = [];
  stderr = '';
  private readonly exited: Promise<number | null>;
  private constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) if (line.startsWith('{')) this.lines.push(JSON.parse(line) as LogLine);
    });
    child.stderr!.on('data', (chunk: Buffer) => void (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** `args` replaces the server script (e.g. a launcher); `cwd` defaults to a new empty directory. */
  static start(env: Record<string, string>, { args, cwd }: { args?: string[]; cwd?: string } = {}): LoggedProcess {
    const child = spawn(process.execPath, args ?? ['--require', TSX, path.join(ROOT, 'src/server.ts')], {
      cwd: cwd ?? mkdtempSync(path.join(tmpdir(), 'casting-agency-server-')),
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new LoggedProcess(child);
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

  listening(): LogLine[] {
    return this.lines.filter((l) => l.msg.startsWith('listening on'));
  }

  exit(): Promise<number | null> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}

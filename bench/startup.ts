import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { projectCopy } from '../tests/kit/project-copy';
import { freePort } from './processes';
import { ROOT } from './machine';

export type StartupTimes = { first: number; later: number[]; npmTest?: { seconds: number; summary: string } };

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Seconds from `npm start` until GET /health answers, on the embedded database in `dir`. */
async function timeStart(dir: string): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(NPM, ['start', '--silent'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  const exited = once(child, 'exit');
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error('npm start exited before it was ready');
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } })).ok) break;
      } catch {
        // not yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    // npm, sh and node form a process group: stop all of them.
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The first `npm start` of a fresh copy (no dist/, no database yet), then `later` restarts. */
export async function measureStartup(later = 3): Promise<StartupTimes> {
  const dir = projectCopy();
  try {
    const first = await timeStart(dir);
    const again: number[] = [];
    for (let i = 0; i < later; i += 1) again.push(await timeStart(dir));
    return { first, later: again };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The whole `npm test` on the embedded database, as a developer runs it. */
export async function timeNpmTest(): Promise<{ seconds: number; summary: string }> {
  const started = process.hrtime.bigint();
  const env = { ...process.env };
  delete env.TEST_DATABASE_URL;
  const child = spawn(NPM, ['test', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  const tests = /Tests:\s+(.*)/.exec(stderr)?.[1] ?? 'no summary';
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, summary: `${tests}${code === 0 ? '' : ` (exit ${code})`}` };
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

export function packageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const run = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    // `wrk --version` prints its version and exits 1.
    return String((err as { stdout?: string }).stdout ?? '').trim();
  }
};

export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export function machine(): Record<string, string> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    commit: `${run('git', ['rev-parse', '--short', 'HEAD'])}${run('git', ['status', '--porcelain']) ? ' (with uncommitted changes)' : ''}`,
    versions: ['express', 'pg', 'express-oauth2-jwt-bearer', 'zod', 'pino', 'autocannon']
      .map((p) => `${p} ${packageVersion(p)}`)
      .join(', '),
    wrk: run('wrk', ['--version']).split('\n')[0]?.split(' Copyright')[0] ?? '',
  };
}

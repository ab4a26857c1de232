import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** A temporary folder (for a development key file), removed by `remove()`. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'casting-agency-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The environment of a newcomer's first run: no issuer, no database server, and the development
 * key in `keyFile` instead of `.data/` (blank values also win over a developer's `.env`).
 */
export const newcomerEnv = (keyFile: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: 'development',
  ISSUER_BASE_URL: '',
  AUDIENCE: '',
  AUTH0_DOMAIN: '',
  API_AUDIENCE: '',
  DATABASE_URL: '',
  DEV_KEY_FILE: keyFile,
  ...extra,
});

export type Run = { code: number; stdout: string; stderr: string };

export const run = (file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> =>
  new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });

/** `src/scripts/<name>.ts` run with tsx, as the npm scripts do. */
export const runScript = (name: string, args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['--import', 'tsx', path.join('src/scripts', `${name}.ts`), ...args], env);

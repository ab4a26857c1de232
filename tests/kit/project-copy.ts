import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** A fresh checkout as far as `npm start` can tell: the sources (the web app's too) without dist/ or .data/, sharing node_modules. */
export function projectCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'casting-agency-copy-'));
  for (const entry of ['src', 'scripts', 'database', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

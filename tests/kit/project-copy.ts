import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** A fresh checkout as far as `npm start` can tell: the sources without dist/ or .data/, sharing node_modules. */
export function projectCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'casting-agency-copy-'));
  for (const entry of ['src', 'scripts', 'database', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

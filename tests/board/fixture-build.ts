import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The files a Vite build writes, with the hashed names it gives them; each one's content names it. */
export const FIXTURE_ASSETS = {
  'index-B2kq9x1Z.js': 'text/javascript',
  'index-Cw3ZfQ8n.css': 'text/css',
  'logo-Dk2L0aQe.svg': 'image/svg+xml',
  'inter-A1b2C3d4.woff2': 'font/woff2',
} as const;

export const FIXTURE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Casting board</title>
<script type="module" crossorigin src="/app/assets/index-B2kq9x1Z.js"></script>
<link rel="stylesheet" crossorigin href="/app/assets/index-Cw3ZfQ8n.css"></head>
<body><div id="root"></div></body></html>
`;

/** A stand-in for dist/web in a temporary folder, so these tests see exactly the files they name. */
export function fixtureBuild(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'casting-board-build-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), FIXTURE_PAGE);
  writeFileSync(path.join(dir, '.build-stamp'), 'not served\n');
  for (const name of Object.keys(FIXTURE_ASSETS)) writeFileSync(path.join(dir, 'assets', name), `/* ${name} */`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// `npm start`: run dist/server.js, compiling src/ first only when some source file is newer than its
// output. Compiling every time (tsc, ~2.5 s here) was most of a restart. A stale or missing dist/ is
// transpiled with swc when it is installed (~0.2 s; like `npm run dev`, it does not type-check: that is
// `npm run typecheck` and `npm run build`), else built with tsc. Heroku builds with `npm run build` and
// its Procfile runs `node dist/server.js` directly, so this file is for local starts only.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'].map((f) => path.join(ROOT, f));

const sources = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });

const outputOf = (file) => path.join(DIST, path.relative(SRC, file)).replace(/\.ts$/, '.js');
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : -Infinity);

/** The source files whose compiled output is missing or older than them (all of them when a tsconfig changed). */
function staleSources() {
  const all = sources(SRC);
  const oldestOutput = Math.min(...all.map((f) => mtime(outputOf(f))));
  if (CONFIGS.some((c) => mtime(c) > oldestOutput)) return all;
  return all.filter((f) => mtime(f) > mtime(outputOf(f)));
}

function transpileWithSwc(files) {
  const swc = require('@swc/core');
  const options = {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    // `await import()` stays an import: PGlite is an ES module.
    module: { type: 'commonjs', ignoreDynamic: true },
    sourceMaps: 'inline',
  };
  for (const file of files) {
    const out = outputOf(file);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, swc.transformFileSync(file, { ...options, filename: file }).code);
  }
}

function build(files) {
  const started = Date.now();
  let how = 'swc';
  try {
    require.resolve('@swc/core');
  } catch {
    how = 'tsc';
  }
  if (how === 'swc') transpileWithSwc(files);
  else execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  process.stderr.write(`npm start: compiled ${files.length} changed file(s) with ${how} in ${Date.now() - started} ms\n`);
}

const stale = staleSources();
if (stale.length > 0) build(stale);
require(path.join(DIST, 'server.js'));

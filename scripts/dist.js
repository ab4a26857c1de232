// dist/ kept up to date with src/ by compiling only the files newer than their output: the first part of
// `npm start` (scripts/start.js) and of `npm run bench -- --smoke`. Compiling everything with tsc (~2.5 s
// here) was most of a restart. Stale files are transpiled with swc when it is installed (~0.1 s; like
// `npm run dev`, no type check: that is `npm run typecheck` and `npm run build`), else built with tsc.
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
  else
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  process.stderr.write(`compiled ${files.length} changed file(s) with ${how} in ${Date.now() - started} ms\n`);
}

/** Brings dist/ up to date with src/; returns the number of files compiled. */
function ensureDist() {
  const stale = staleSources();
  if (stale.length > 0) build(stale);
  return stale.length;
}

module.exports = { ensureDist, DIST };

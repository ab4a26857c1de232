// dist/web/ (the casting board, served at /app/) kept up to date with web/: built with Vite only when a hash
// of what the build reads (every file under web/, and package-lock.json for the versions of Vite and the
// libraries) differs from the one the last build stamped into dist/web/. Run by `npm start`
// (scripts/start.js), by the Jest global setup (so the browser tests see the current app) and by
// `npm run build` (Heroku). `node scripts/web-build.js` runs it by hand.
//
// Several of these can run at once (two test runs, a test run beside `npm start`): the build goes to a
// fresh folder that then replaces dist/web/ whole, under a lock, so a server never serves half a build.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'web');
const CONFIG = path.join(WEB, 'vite.config.ts');
const WEB_DIST = path.join(ROOT, 'dist', 'web');
const STAMP = path.join(WEB_DIST, '.build-stamp');
const LOCK = path.join(ROOT, 'dist', '.web-build.lock');
const INPUTS_OUTSIDE_WEB = ['package-lock.json'].map((f) => path.join(ROOT, f));
// A lock older than any build can take was left by a process that died holding it.
const STALE_LOCK_MS = 120_000;
const LOCK_WAIT_MS = 180_000;

const files = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && entry.name !== 'dist')
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? files(full) : [full];
    })
    .sort();

/** A hash of every input's name and content: a change anywhere (or a file added or removed) changes it. */
function inputsHash() {
  const hash = crypto.createHash('sha256');
  for (const file of [...files(WEB), ...INPUTS_OUTSIDE_WEB.filter((f) => fs.existsSync(f))]) {
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const stamped = () => (fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : null);

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function withLock(fn) {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another web build still holds ${LOCK}`, { cause: err });
      else sleep(100);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Vite's command line script (its package exports no path to it); `null` when Vite is not installed. */
function viteCli() {
  try {
    const manifest = require.resolve('vite/package.json', { paths: [ROOT] });
    return path.join(path.dirname(manifest), require(manifest).bin.vite);
  } catch {
    return null;
  }
}

function viteBuild(vite, hash) {
  const fresh = `${WEB_DIST}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  try {
    execFileSync(process.execPath, [vite, 'build', '--config', CONFIG, '--outDir', fresh, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    fs.rmSync(fresh, { recursive: true, force: true });
    const output = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
    throw new Error(`vite build failed:\n${output || err.message}`, { cause: err });
  }
  fs.writeFileSync(path.join(fresh, '.build-stamp'), `${hash}\n`);
  const old = `${fresh}.old`;
  if (fs.existsSync(WEB_DIST)) fs.renameSync(WEB_DIST, old);
  fs.renameSync(fresh, WEB_DIST);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Builds the web app into dist/web/ unless the last build there was made from the same inputs.
 * Returns what it did: `built` (with the time it took), `fresh`, or `skipped` (no web/ folder, or no Vite
 * installed: the server then answers /app/ with 503 saying to build).
 */
function ensureWebBuild({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (!fs.existsSync(CONFIG)) return { result: 'skipped', reason: `${path.relative(ROOT, CONFIG)} not found` };
  const vite = viteCli();
  if (!vite) {
    log('web app not built: Vite is not installed (npm install)');
    return { result: 'skipped', reason: 'vite not installed' };
  }
  const hash = inputsHash();
  if (stamped() === hash) return { result: 'fresh' };
  return withLock(() => {
    // Another process may have built these very inputs while this one waited for the lock.
    if (stamped() === hash) return { result: 'fresh' };
    const started = Date.now();
    viteBuild(vite, hash);
    const ms = Date.now() - started;
    log(`built the web app (web/ changed) with Vite in ${ms} ms`);
    return { result: 'built', ms };
  });
}

module.exports = { ensureWebBuild, WEB_DIST };

if (require.main === module) {
  try {
    ensureWebBuild();
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

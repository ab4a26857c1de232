/*
 * Part of `npm run lint`: the generated OpenAPI document through Redocly (`recommended`,
 * redocly.yaml) and Spectral (`spectral:oas`, .spectral.yaml), offline. The document is written to
 * a fixed file under node_modules/.cache, because the rule exceptions name places in that file.
 * Quiet when both pass; a failing tool's whole report is printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from '../src/openapi/document';

const ROOT = path.resolve(__dirname, '..');
const FILE = 'node_modules/.cache/openapi-lint/openapi.json';
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

// Redocly prints a boxed Node 20 deprecation notice on every run; nothing else of ours is dropped.
const withoutBanner = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^\s*[╔║╚]/.test(line))
    .join('\n')
    .trim();

const ENV = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
const spawn = (command: string, args: string[]) => spawnSync(bin(command), args, { cwd: ROOT, env: ENV, encoding: 'utf8' });
const report = (name: string, result: ReturnType<typeof spawn>) =>
  console.error(`${name} found problems in the OpenAPI document (${FILE}):\n${withoutBanner(`${result.stdout}\n${result.stderr}`)}`);

/** Redocly exits 0 with warnings: its JSON totals decide, and a failing run is repeated for a readable report. */
function redocly(): boolean {
  const args = ['lint', FILE, '--config', 'redocly.yaml'];
  const json = spawn('redocly', [...args, '--format', 'json']);
  let totals: { errors: number; warnings: number } | undefined;
  try {
    totals = (JSON.parse(json.stdout) as { totals: { errors: number; warnings: number } }).totals;
  } catch {
    totals = undefined;
  }
  if (json.status === 0 && totals?.errors === 0 && totals.warnings === 0) return true;
  report('Redocly', totals ? spawn('redocly', args) : json);
  return false;
}

/** `--fail-severity warn`: a warning fails too. */
function spectral(): boolean {
  const result = spawn('spectral', ['lint', FILE, '--ruleset', '.spectral.yaml', '--fail-severity', 'warn']);
  if (result.status === 0) return true;
  report('Spectral', result);
  return false;
}

mkdirSync(path.join(ROOT, path.dirname(FILE)), { recursive: true });
writeFileSync(path.join(ROOT, FILE), `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
const passed = [redocly(), spectral()];
if (passed.includes(false)) process.exit(1);

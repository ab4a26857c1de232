import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OPERATIONS } from '../../src/routes';
import { newcomerEnv, ROOT, run, tempDir } from '../kit/commands';
import { spawnServer, type ServerProcess } from '../kit/server-process';

/*
 * Runs the README's "Try it in five minutes" section against a server started the way `npm start`
 * starts it (src/server.ts, embedded in-memory database, development tokens), so it cannot go stale.
 */
const SECTION = '## Try it in five minutes';

/**
 * Examples whose route is not served yet; each is skipped until it is. When the route lands,
 * the test "skips exactly the examples listed here" fails: delete the entry to run the example.
 */
const PENDING = new Set<string>();

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf(SECTION), readme.indexOf('\n## ', readme.indexOf(SECTION) + 1));
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

const startBlock = blocks.find((b) => b.includes('npm start'));
const tokenBlock = blocks.find((b) => b.startsWith('TOKEN='));
const examples = blocks
  .filter((b) => b.startsWith('curl '))
  .map((command) => {
    const method = /-X (\w+)/.exec(command)?.[1] ?? (command.includes(' -d ') ? 'POST' : 'GET');
    const url = /localhost:3000(\/[^\s"']*)/.exec(command)?.[1] ?? '';
    return { command, method, url, name: `${method} ${url}` };
  });

// The route table is the list of what the server serves (src/routes.ts).
const routes = OPERATIONS.map((op) => ({ method: op.method.toUpperCase(), regexp: new RegExp(`^${op.path.replace(/:\w+/g, '[^/]+')}$`) }));
const served = (e: { method: string; url: string }) => routes.some((r) => r.method === e.method && r.regexp.test(e.url.split('?')[0]!));

describe('README: Try it in five minutes', () => {
  const temp = tempDir();
  const env = newcomerEnv(path.join(temp.dir, 'dev-signing-key.pem'));
  let server: ServerProcess;
  let token = '';
  const bash = (script: string, extra: Record<string, string> = {}) =>
    run('bash', ['-c', script.replaceAll('localhost:3000', `localhost:${server.port}`)], { ...env, ...extra });

  beforeAll(async () => {
    server = await spawnServer({ ...env, PORT: '0', EMBEDDED_DB_DIR: 'memory://', LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await server?.stop();
    temp.remove();
  });

  it('has the two commands, a token command and the list, create and cast calls', () => {
    expect(startBlock).toMatch(/^npm install && npm start .*\nnpm test /);
    expect(tokenBlock).toMatch(/^TOKEN=\$\(npm run --silent token -- producer\)/);
    expect(examples.map((e) => e.method)).toEqual(['GET', 'POST', 'PUT']);
  });

  it('gets a token with the token command', async () => {
    const out = await bash(`${tokenBlock}\nprintf %s "$TOKEN"`);
    expect(out.code).toBe(0);
    token = out.stdout;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('skips exactly the examples whose route is listed as pending', () => {
    expect(examples.filter((e) => !served(e)).map((e) => e.name)).toEqual([...PENDING]);
  });

  describe.each(examples.map((e) => [e.name, e]))('%s', (_name, example) => {
    const runs = served(example) || !PENDING.has(example.name) ? it : it.skip;
    runs('succeeds as the README shows it', async () => {
      const out = await bash(example.command.replace(/^curl /, `curl -w '\\n%{http_code}' `), { TOKEN: token });
      expect(out.code).toBe(0);
      const [body, status] = [
        out.stdout.slice(0, out.stdout.lastIndexOf('\n')),
        Number(out.stdout.slice(out.stdout.lastIndexOf('\n') + 1)),
      ];
      expect({ status, body: JSON.parse(body) }).toEqual({ status: expect.any(Number), body: expect.objectContaining({ success: true }) });
      expect(status).toBeGreaterThanOrEqual(200);
      expect(status).toBeLessThan(300);
    });
  });

  it('left the created movie in the database', async () => {
    const res = await fetch(`http://localhost:${server.port}/movies?limit=200`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { movies: { title: string }[] };
    expect(body.movies.map((m) => m.title)).toContain('Heat');
  });

  it('serves the interactive documentation at /docs', async () => {
    const res = await fetch(`http://localhost:${server.port}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui-bundle.js');
  });

  it('ships the Postman collection it tells the reader to import', () => {
    expect(section).toContain('docs/casting-agency.postman_collection.json');
    expect(JSON.parse(readFileSync(path.join(ROOT, 'docs/casting-agency.postman_collection.json'), 'utf8')).info.name).toBe(
      'Casting Agency API',
    );
  });

  it('was started by a server that printed one line telling how to get a token', () => {
    const hints = server.stdout.split('\n').filter((l) => l.includes('npm run token -- producer'));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toContain(`http://localhost:${server.port}/docs`);
  });
});

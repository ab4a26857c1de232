import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { pageLinks } from '../../src/http/page-links';
import { MAX_PAGE } from '../../src/http/validate';
import { createTestContext, insertActors, type TestContext } from '../kit/context';
import { linksOf } from '../kit/links';

/*
 * `Link` is a header: whatever the client put in its query, the links must stay inside their
 * `<…>`, and following one must find what the request found.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.reset();
  await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
});
afterAll(() => ctx.close());

const get = (url: string) => ctx.api.as('assistant').get(url);

/** Sends `target` byte for byte (no client-side escaping) and answers the status line, headers and body. */
async function rawGet(target: Buffer): Promise<{ status: number; link: string | undefined; body?: { actors: unknown[] } }> {
  const server: Server = createServer(ctx.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const text = await new Promise<string>((resolve) => {
      let got = '';
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        const head = Buffer.from(`\r\nHost: x\r\nAuthorization: ${ctx.auth.assistant}\r\nConnection: close\r\n\r\n`);
        socket.write(Buffer.concat([Buffer.from('GET '), target, Buffer.from(' HTTP/1.1'), head]));
      });
      socket.on('data', (chunk) => (got += chunk.toString('latin1')));
      socket.on('close', () => resolve(got));
    });
    const [head = '', body = ''] = text.split('\r\n\r\n');
    const link = /\r\nLink: ([^\r\n]*)/i.exec(head)?.[1];
    const json = body === '' ? undefined : JSON.parse(Buffer.from(body, 'latin1').toString('utf8'));
    return { status: Number(head.split(' ')[1]), link, body: json };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('a query that could break the header', () => {
  const NAME = 'Zoë <"A;b,c"> 100% `x\'y` {|^\\}';
  // Every character above, as a client may send it: the ë escaped (see the last test), the rest raw.
  const RAW_QUERY = 'q=Zo%C3%AB%20<"A;b,c">%20100%25%20`x\'y`%20{|^\\}&limit=1';
  beforeAll(async () => {
    await insertActors(ctx.db, { name: NAME, age: 30, gender: 'other' });
  });

  it.each([
    ['< > " ; , ` \' { } | ^ \\ raw, and an escaped ë', Buffer.from(`/actors?${RAW_QUERY}`)],
    ['a lone %', Buffer.from('/actors?q=<"A;b,c">%20100%&limit=1')],
    ['an escaped CR LF and a header after it', Buffer.from('/actors?q=%0D%0AX-Injected:%20yes&limit=1')],
  ])('(%s): each link is printable ASCII, and following first finds exactly what the request found', async (_label, target) => {
    const asked = await rawGet(target);
    expect(asked.status).toBe(200);
    expect(asked.link).toMatch(/^[\x21-\x7e ]+$/);
    const links = linksOf(asked.link);
    for (const link of Object.values(links)) expect(link).toMatch(/^\/actors\?[^<>",; \\`]*$/);
    const followed = await get(links.first!);
    expect(followed.status).toBe(200);
    expect(followed.body.actors).toEqual(asked.body?.actors);
    expect(followed.headers['x-injected']).toBeUndefined();
  });

  it('finds the actor by every one of those characters, and the links carry them escaped', async () => {
    const asked = await rawGet(Buffer.from(`/actors?${RAW_QUERY}`));
    expect(asked.body?.actors).toEqual([expect.objectContaining({ name: NAME })]);
    expect(linksOf(asked.link).first).toBe(
      "/actors?q=Zo%C3%AB%20%3C%22A%3Bb%2Cc%22%3E%20100%25%20%60x'y%60%20%7B%7C%5E%5C%7D&limit=1&page=1",
    );
  });

  it('a raw non-ASCII byte never reaches a list: Node refuses the request line (400)', async () => {
    const asked = await rawGet(Buffer.concat([Buffer.from('/actors?q=Zo'), Buffer.from('ë', 'utf8')]));
    expect(asked.status).toBe(400);
    expect(asked.link).toBeUndefined();
  });

  it('a path with two leading slashes is not a list (404, no Link)', async () => {
    const res = await get('//actors?limit=30');
    expect(res.status).toBe(404);
    expect(res.headers.link).toBeUndefined();
  });
});

describe('pageLinks, where routing does not reach', () => {
  it('writes a path with leading slashes with one, so no link names another host', () => {
    expect(linksOf(pageLinks('//evil.example/actors?limit=1', { page: 1, limit: 1, total: 1 })).first).toBe(
      '/evil.example/actors?limit=1&page=1',
    );
  });

  it(`never links past page ${MAX_PAGE}, the largest a list accepts`, () => {
    const links = linksOf(pageLinks('/history?limit=1', { page: MAX_PAGE, limit: 1, total: 3 * MAX_PAGE }));
    expect(links).toEqual({
      first: '/history?limit=1&page=1',
      prev: `/history?limit=1&page=${MAX_PAGE - 1}`,
      last: `/history?limit=1&page=${MAX_PAGE}`,
    });
  });
});

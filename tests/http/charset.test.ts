import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countRows, createTestContext, insertActors, insertMovies, type TestContext } from '../kit/context';
import { openRaw, parseAnswer } from '../kit/raw-connection';

/*
 * A JSON body is read as UTF-8 only. body-parser decodes any utf-* charset, and in UTF-7 `+ACI-`
 * is `"`: the name below is one string to anything that reads the bytes, but the fields
 * `name`, `gender` and `age` to a server that decodes it as UTF-7.
 */
const SMUGGLED = '{"name":"Seven+ACI-,+ACI-gender+ACI-:+ACI-injected","age":30}';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.reset());

/** The body as a client declaring `charset` would send it. */
const encoded = (json: string, charset: string): Buffer => {
  const name = charset.toLowerCase();
  if (name === 'utf-16') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
  if (name === 'utf-16le') return Buffer.from(json, 'utf16le');
  if (name === 'latin1' || name === 'iso-8859-1') return Buffer.from(json, 'latin1');
  return Buffer.from(json, 'utf8');
};

const send = (method: 'post' | 'patch', path: string, contentType: string, body: Buffer | string) =>
  ctx.api.as('producer')[method](path).set('Content-Type', contentType).send(body);

const expect415 = (res: { status: number; body: unknown }) => {
  expect(res.status).toBe(415);
  expect(res.body).toEqual({ success: false, error: 415, code: 'unsupported_media_type', message: expect.stringMatching(/UTF-8/) });
};

const REFUSED = ['utf-7', 'UTF-7', '"utf-7"', 'utf-16', 'utf-16le', 'latin1', 'iso-8859-1', 'utf8'];

describe('POST /actors with a declared charset', () => {
  it('When the body is UTF-7 that decodes to an extra field, then it answers 415 and creates nothing', async () => {
    expect415(await send('post', '/actors', 'application/json; charset=utf-7', SMUGGLED));
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it.each(REFUSED)('When the charset is %s, then it answers 415 and creates nothing', async (charset) => {
    const json = JSON.stringify({ name: 'Ana', age: 30, gender: 'female' });
    expect415(await send('post', '/actors', `application/json; charset=${charset}`, encoded(json, charset.replace(/"/g, ''))));
    expect(await countRows(ctx.db, 'actors')).toBe(0);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; Charset = utf-8',
  ])('When the Content-Type is %s, then the actor is created', async (contentType) => {
    const res = await send('post', '/actors', contentType, JSON.stringify({ name: 'Ana', age: 30, gender: 'female' }));
    expect(res.status).toBe(201);
    expect(await countRows(ctx.db, 'actors')).toBe(1);
  });
});

describe('a refused charset', () => {
  it('When the body has not arrived yet, then the 415 comes before it is read', async () => {
    const server = createServer(ctx.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { socket, closed } = await openRaw((server.address() as AddressInfo).port);
      socket.write(
        `POST /actors HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${ctx.auth.producer}\r\nConnection: close\r\n` +
          'Content-Type: application/json; charset=utf-7\r\nContent-Length: 1000\r\n\r\n',
      );
      const answer = await new Promise<string>((resolve) => socket.on('data', (chunk) => resolve(chunk.toString())));
      expect(parseAnswer(answer).head).toMatch(/^HTTP\/1\.1 415 /);
      socket.destroy();
      await closed;
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('PATCH /actors/:id with a declared charset', () => {
  it.each(REFUSED)('When the charset is %s, then it answers 415 and changes nothing', async (charset) => {
    const [actor] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    const res = await send(
      'patch',
      `/actors/${actor!.id}`,
      `application/json; charset=${charset}`,
      encoded('{"age":23}', charset.replace(/"/g, '')),
    );
    expect415(res);
    expect(await ctx.db.query('SELECT name, age, gender FROM actors')).toEqual([{ name: 'Kevin', age: 22, gender: 'male' }]);
  });

  it('When the charset is UTF-8, then the actor is changed', async () => {
    const [actor] = await insertActors(ctx.db, { name: 'Kevin', age: 22, gender: 'male' });
    expect((await send('patch', `/actors/${actor!.id}`, 'application/json; charset=UTF-8', '{"age":23}')).status).toBe(200);
  });
});

describe('POST /movies and PATCH /movies/:id with a declared charset', () => {
  const movie = JSON.stringify({ title: 'The Prestige', release_date: '2006-10-20' });

  it.each(REFUSED)('When the charset is %s, then POST answers 415 and creates nothing', async (charset) => {
    expect415(await send('post', '/movies', `application/json; charset=${charset}`, encoded(movie, charset.replace(/"/g, ''))));
    expect(await countRows(ctx.db, 'movies')).toBe(0);
  });

  it.each(REFUSED)('When the charset is %s, then PATCH answers 415 and changes nothing', async (charset) => {
    const [row] = await insertMovies(ctx.db, { title: 'Memento', release_date: '2000-09-05' });
    const res = await send(
      'patch',
      `/movies/${row!.id}`,
      `application/json; charset=${charset}`,
      encoded('{"title":"Tenet"}', charset.replace(/"/g, '')),
    );
    expect415(res);
    expect(await ctx.db.query('SELECT title FROM movies')).toEqual([{ title: 'Memento' }]);
  });

  it('When the charset is utf-8 or absent, then the movie is created and changed', async () => {
    const created = await send('post', '/movies', 'application/json; charset="utf-8"', movie);
    expect(created.status).toBe(201);
    expect((await send('patch', `/movies/${created.body.created_id}`, 'application/json', '{"title":"Tenet"}')).status).toBe(200);
  });
});

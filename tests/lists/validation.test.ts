import { createTestContext, type TestContext } from '../kit/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const ACTOR_SORTS = 'must be one of: id, -id, name, -name, age, -age';
const MOVIE_SORTS = 'must be one of: id, -id, title, -title, release_date, -release_date';
const DATE = 'must be a real calendar date, YYYY-MM-DD';

// [query string, the parameter named, what the message says about it]
const ACTOR_CASES: [string, string, string][] = [
  ['sort=height', 'sort', ACTOR_SORTS],
  ['sort=title', 'sort', ACTOR_SORTS],
  ['sort=-', 'sort', ACTOR_SORTS],
  ['sort=', 'sort', ACTOR_SORTS],
  ['sort=NAME', 'sort', ACTOR_SORTS],
  ['sort=name,age', 'sort', ACTOR_SORTS],
  ['sort=--name', 'sort', ACTOR_SORTS],
  ['sort=name%3B%20DROP%20TABLE%20actors', 'sort', ACTOR_SORTS],
  ['sort=name&sort=age', 'sort', 'must be given once'],
  ['q=', 'q', 'must not be empty'],
  [`q=${'x'.repeat(201)}`, 'q', 'must be at most 200 characters'],
  ['q=a%00b', 'q', 'must not contain NUL characters'],
  ['q=a&q=b', 'q', 'must be given once'],
  ['gender=', 'gender', 'must not be empty'],
  ['gender=%20%20', 'gender', 'must not be empty'],
  [`gender=${'g'.repeat(51)}`, 'gender', 'must be at most 50 characters'],
  ['min_age=-1', 'min_age', 'must be at least 0'],
  ['limit=-1', 'limit', 'must be at least 1'],
  ['page=-1', 'page', 'must be at least 1'],
  ['limit=abc', 'limit', 'must be a whole number'],
  ['limit=-1.5', 'limit', 'must be a whole number'],
  ['min_age=151', 'min_age', 'must be at most 150'],
  ['min_age=abc', 'min_age', 'must be a whole number'],
  ['max_age=1.5', 'max_age', 'must be a whole number'],
  ['max_age=', 'max_age', 'must be a whole number'],
  ['min_age=40&max_age=30', 'min_age', 'must not be greater than max_age'],
  [
    'released_after=2000-01-01',
    'released_after',
    'is not a known parameter; allowed parameters: page, limit, q, sort, gender, min_age, max_age',
  ],
];

const MOVIE_CASES: [string, string, string][] = [
  ['sort=name', 'sort', MOVIE_SORTS],
  ['sort=releasedate', 'sort', MOVIE_SORTS],
  ['sort=-release_date&sort=id', 'sort', 'must be given once'],
  ['q=', 'q', 'must not be empty'],
  ['released_after=2023-02-30', 'released_after', DATE],
  ['released_after=2023-1-1', 'released_after', DATE],
  ['released_after=yesterday', 'released_after', DATE],
  ['released_after=2023-01-01T00:00:00Z', 'released_after', DATE],
  ['released_before=0000-01-01', 'released_before', `${DATE} (there is no year 0)`],
  ['released_before=', 'released_before', DATE],
  ['released_after=2020-01-01&released_before=2019-12-31', 'released_after', 'must not be greater than released_before'],
  ['gender=male', 'gender', 'is not a known parameter; allowed parameters: page, limit, q, sort, released_after, released_before'],
  ['min_age=3', 'min_age', 'is not a known parameter'],
];

describe.each([
  ['/actors', ACTOR_CASES],
  ['/movies', MOVIE_CASES],
])('GET %s with a bad query parameter', (path, cases) => {
  it.each(cases)('?%s answers 400 invalid_query naming %s and what it accepts', async (query, param, says) => {
    const res = await ctx.api.as('assistant').get(`${path}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: 400, code: 'invalid_query' });
    expect(res.body.message).toContain(`${param} ${says}`);
    expect(res.body.details).toEqual(expect.arrayContaining([{ path: param, message: expect.stringContaining(says.split(';')[0]!) }]));
  });
});

describe('GET /actors with several bad parameters', () => {
  it('names every one of them in one answer', async () => {
    const res = await ctx.api.as('assistant').get('/actors?sort=x&min_age=y&colour=red');
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['colour', 'min_age', 'sort']);
  });
});

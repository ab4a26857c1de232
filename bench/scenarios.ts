/**
 * What a run sends. A scenario is one request shape; `{id}` in the path takes a new id per request,
 * drawn at random from a range or counted up from its start (each DELETE needs an id still there).
 * To bench a new endpoint, add an entry here.
 */
export type Ids = { kind: 'random' | 'sequence'; from: number; to: number };

export type Scenario = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  ids?: Ids;
  body?: string;
  /** Sends the producer's bearer token. */
  auth: boolean;
  /** The status of a correct answer: a probe checks it before the run, or the scenario is skipped. */
  expect: number;
  /** Reads are held to the p99 target. */
  read: boolean;
};

export type ScenarioContext = { actors: number; movies: number; q: string[] };

const get = (name: string, path: string, extra: Partial<Scenario> = {}): Scenario => ({
  name,
  method: 'GET',
  path,
  auth: true,
  expect: 200,
  read: true,
  ...extra,
});

export const LIST_PAGE = '/actors?limit=20';

export const listScenario = (): Scenario => get(`GET ${LIST_PAGE}`, LIST_PAGE);

const search = (q: string, sort?: string) => {
  const sorted = sort ? `&sort=${sort}` : '';
  return get(`GET /actors?q=${q}${sorted}`, `/actors?q=${encodeURIComponent(q)}${sorted}&limit=20`);
};

/** A `q` search: answered from the search cache when the same search ran before and the table is unchanged. */
export const isSearch = (scenario: Scenario): boolean => /[?&]q=/.test(scenario.path);

/** The reads of the main phase, in order. */
export const readScenarios = (c: ScenarioContext): Scenario[] => [
  get('GET /', '/', { auth: false }),
  listScenario(),
  ...c.q.slice(0, 1).map((q) => search(q, '-age')),
  get('GET /movies/:id', '/movies/{id}', { ids: { kind: 'random', from: 1, to: c.movies } }),
  get('GET /actors/:id', '/actors/{id}', { ids: { kind: 'random', from: 1, to: c.actors } }),
];

export const postActorScenario: Scenario = {
  name: 'POST /actors',
  method: 'POST',
  path: '/actors',
  body: JSON.stringify({ name: 'Bench Actor', age: 40, gender: 'female' }),
  auth: true,
  expect: 201,
  read: false,
};

/** DELETE /actors/:id for the ids `from`..`to`, each once. */
export const deleteActorScenario = (from: number, to: number): Scenario => ({
  name: 'DELETE /actors/:id',
  method: 'DELETE',
  path: '/actors/{id}',
  ids: { kind: 'sequence', from, to },
  auth: true,
  expect: 200,
  read: false,
});

/** The writes, after the reads: POST adds rows, PATCH changes existing ones, DELETE removes ids from 1 up. */
export const writeScenarios = (c: ScenarioContext): Scenario[] => [
  postActorScenario,
  {
    name: 'PATCH /actors/:id',
    method: 'PATCH',
    path: '/actors/{id}',
    ids: { kind: 'random', from: 1, to: c.actors },
    body: JSON.stringify({ age: 41 }),
    auth: true,
    expect: 200,
    read: false,
  },
  deleteActorScenario(1, c.actors),
];

/** The large phase: a page with its count, a search, a sorted page. */
export const bigScenarios = (c: ScenarioContext): Scenario[] => [
  listScenario(),
  ...c.q.map((q) => search(q)),
  get('GET /actors?sort=-age', '/actors?sort=-age&limit=20'),
];

/** The path of one request: the first id of the range for a probe. */
export const pathFor = (scenario: Scenario, id = scenario.ids?.from ?? 1): string => scenario.path.replace('{id}', String(id));

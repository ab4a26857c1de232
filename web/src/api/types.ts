/** The API's resources and answers, as the contract (docs and /openapi.json) names them. */
export type Actor = { id: number; name: string; age: number; gender: string };
export type Movie = { id: number; title: string; release_date: string };
/** A cast entry; `character` arrives with the cast-character change and is shown when present. */
export type CastMember = Actor & { character?: string | null };
export type ActorDetail = Actor & { movies: (Movie & { character?: string | null })[] };
export type MovieDetail = Movie & { actors: CastMember[] };

export type ActorFields = Omit<Actor, 'id'>;
export type MovieFields = Omit<Movie, 'id'>;

export type Page = { page: number; limit: number };
export type ActorList = Page & { actors: Actor[]; all_actors: number };
export type MovieList = Page & { movies: Movie[]; all_movies: number };

export type Me = { sub: string; permissions: string[] };

export type ErrorDetail = { path: string; message: string };

export type SignInConfig =
  { mode: 'development' } | { mode: 'auth0'; domain: string; clientId: string; audience: string } | { mode: 'token' };

export const Permission = {
  getActors: 'get:actors',
  postActors: 'post:actors',
  patchActors: 'patch:actors',
  deleteActors: 'delete:actors',
  getMovies: 'get:movies',
  postMovies: 'post:movies',
  patchMovies: 'patch:movies',
  deleteMovies: 'delete:movies',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

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

const assistant = [Permission.getActors, Permission.getMovies];
const director = [...assistant, Permission.postActors, Permission.patchActors, Permission.deleteActors, Permission.patchMovies];
const producer = [...director, Permission.postMovies, Permission.deleteMovies];

/** The Auth0 roles and the permissions RBAC puts in their tokens. */
export const ROLES = { assistant, director, producer } as const satisfies Record<string, readonly Permission[]>;
export type Role = keyof typeof ROLES;

/** What an operation needs besides a valid token: nothing (`authenticated`), or one permission. */
export const AUTHENTICATED = 'authenticated';
export type Requirement = Permission | typeof AUTHENTICATED;

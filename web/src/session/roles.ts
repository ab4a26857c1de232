import { Permission } from '../api/types';

const ASSISTANT: readonly string[] = [Permission.getActors, Permission.getMovies];
const DIRECTOR: readonly string[] = [
  ...ASSISTANT,
  Permission.postActors,
  Permission.patchActors,
  Permission.deleteActors,
  Permission.patchMovies,
];
const PRODUCER: readonly string[] = [...DIRECTOR, Permission.postMovies, Permission.deleteMovies];

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && b.every((p) => a.includes(p));

/** The role the permissions amount to, as the agency names it; any other set is listed as it is. */
export function roleName(permissions: readonly string[]): string {
  if (sameSet(permissions, PRODUCER)) return 'Executive Producer';
  if (sameSet(permissions, DIRECTOR)) return 'Casting Director';
  if (sameSet(permissions, ASSISTANT)) return 'Casting Assistant';
  return permissions.length === 0 ? 'No permissions' : `Permissions: ${permissions.join(', ')}`;
}

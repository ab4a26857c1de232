import type { Db } from '../db/db';
import { castAdded, castRemoved, castUpdated } from '../history/changes';
import type { HistoryRepository } from '../history/history.repository';
import { notFound } from '../http/errors';
import type { Both, CastingRepository } from './casting.repository';

/*
 * The two cast changes, each one `db.transaction`: the entry changes, then its history entry (listed
 * in the movie's and the actor's history) is recorded by `by`. A PUT that changes nothing records nothing.
 */

export type CastDeps = { db: Db; casting: CastingRepository; history: HistoryRepository };
export type CastResult = { added: boolean; character: string | null };

/** 404 naming whichever of the two does not exist. */
function requireBoth({ movie, actor }: Both, movieId: number, actorId: number): void {
  if (!movie && !actor) throw notFound(`Movie ${movieId} and actor ${actorId} not found`);
  if (!movie) throw notFound(`Movie ${movieId} not found`);
  if (!actor) throw notFound(`Actor ${actorId} not found`);
}

/**
 * Casts the actor in the movie. `character` undefined (no body): a new entry has none, an existing
 * one is left as it is; a string or null: the entry's character is set to it. An entry removed by
 * another transaction between two statements is looked at again.
 */
export async function castActor(
  { db, casting, history }: CastDeps,
  by: string,
  ids: { movieId: number; actorId: number },
  character: string | null | undefined,
): Promise<CastResult> {
  const { movieId, actorId } = ids;
  const entry = { movie_id: movieId, actor_id: actorId };
  return db.transaction(async (tx) => {
    requireBoth(await casting.lockBoth(tx, movieId, actorId), movieId, actorId);
    for (;;) {
      const added = await casting.add(tx, movieId, actorId, character ?? null);
      if (added) {
        await history.record(tx, by, [castAdded({ ...entry, character: added.character })]);
        return { added: true, character: added.character };
      }
      if (character === undefined) {
        const kept = await casting.characterOf(tx, movieId, actorId);
        if (kept) return { added: false, character: kept.character };
        continue;
      }
      const renamed = await casting.rename(tx, movieId, actorId, character);
      if (!renamed) continue;
      await history.record(tx, by, castUpdated({ ...entry, character: renamed.before }, { ...entry, character: renamed.after }));
      return { added: false, character: renamed.after };
    }
  });
}

/** Removes the actor from the movie's cast; 404 when they were not cast (or either does not exist). */
export async function uncastActor(
  { db, casting, history }: CastDeps,
  by: string,
  ids: { movieId: number; actorId: number },
): Promise<void> {
  const { movieId, actorId } = ids;
  await db.transaction(async (tx) => {
    const result = await casting.uncast(tx, movieId, actorId);
    requireBoth(result, movieId, actorId);
    if (!result.removed) throw notFound(`Actor ${actorId} is not cast in movie ${movieId}`);
    await history.record(tx, by, [castRemoved({ movie_id: movieId, actor_id: actorId, character: result.character })]);
  });
}

import type { z } from 'zod';
import { Permission } from '../auth/permissions';
import type { Db } from '../db/db';
import { notFound } from '../http/errors';
import { operation, type Operation } from '../http/operation';
import { setPageLinks } from '../http/page-links';
import { Id, PageQuery } from '../http/validate';
import { capitalized } from '../lib/words';
import { listOf, PAGE_DESCRIPTIONS } from '../openapi/schemas';
import type { HistoryResource } from './changes';
import type { HistoryRepository } from './history.repository';
import { ActorChange, MovieChange } from './history.schemas';

export type HistoryDeps = { db: Db; history: HistoryRepository };

const SPECS = {
  actor: { plural: 'actors', schema: ActorChange, permission: Permission.getActors },
  movie: { plural: 'movies', schema: MovieChange, permission: Permission.getMovies },
} satisfies Record<HistoryResource, { plural: string; schema: z.ZodType; permission: Permission }>;

/** GET /<plural>/:id/history: every change to one actor or movie and to its cast, newest first. */
function historyList(resource: HistoryResource): Operation<HistoryDeps> {
  const { plural, schema, permission } = SPECS[resource];
  const noun = capitalized(resource);
  const idField = `${resource}_id`;
  return operation({
    method: 'get',
    path: `/${plural}/:id/history`,
    tag: plural,
    operationId: `get${noun}History`,
    summary: `Who changed ${resource === 'actor' ? 'an actor' : 'a movie'} and its cast, and when`,
    description:
      'Newest first (ties by id). Every committed change, recorded in the same transaction as the change; a write that changed ' +
      `nothing is not listed. The history of a deleted ${resource} stays readable; an id that never existed is 404.`,
    permission,
    params: { id: noun },
    query: { schema: PageQuery, describe: PAGE_DESCRIPTIONS },
    responses: {
      200: { description: 'A page of changes', schema: listOf('history', 'all_changes', schema).extend({ [idField]: Id }) },
    },
    handler: async ({ params: { id }, query, req, res }, { db, history }: HistoryDeps) => {
      const { found, items, total } = await history.list(db, resource, id, query);
      if (!found) throw notFound(`${noun} ${id} not found`);
      setPageLinks(req, res, { page: query.page, limit: query.limit, total });
      res.json({ success: true, [idField]: id, history: items, all_changes: total, page: query.page, limit: query.limit });
    },
  });
}

export const historyOperations: readonly Operation<HistoryDeps>[] = [historyList('actor'), historyList('movie')];

import { Router, type Request, type Response } from 'express';
import type { Guard } from '../auth/guard';
import { Permission } from '../auth/permissions';
import { notFound } from '../http/errors';
import { etagOf, type IfMatch } from '../http/etag';
import { markTableSearched } from '../http/rate-limit';
import { jsonBody, methodNotAllowed } from '../http/routing';
import { parseId, parseQuery } from '../http/validate';
import type { ActorsRepository } from './actors.repository';
import { ActorCreate, ActorListQuery, ActorPatch } from './actors.schemas';

const actorId = (req: Request) => parseId(req.params.id, 'Actor');
const missing = (id: number) => notFound(`Actor ${id} not found`);

export function actorsRouter(actors: ActorsRepository, guard: Guard, ifMatch: IfMatch): Router {
  const list = async (req: Request, res: Response) => {
    const query = parseQuery(ActorListQuery, req.query);
    const { items, total, searchedTable } = await actors.list(query);
    if (searchedTable) markTableSearched(res);
    res.json({ success: true, actors: items, all_actors: total, page: query.page, limit: query.limit });
  };

  const show = async (req: Request, res: Response) => {
    const id = actorId(req);
    const actor = await actors.findWithMovies(id);
    if (!actor) throw missing(id);
    res.set('ETag', etagOf(actor)).json({ success: true, actor });
  };

  const create = async (req: Request, res: Response) => {
    const actor = await actors.create(ActorCreate.parse(req.body));
    res.status(201).location(`/actors/${actor.id}`).json({ success: true, created: actor.id, new_actor: actor });
  };

  const update = async (req: Request, res: Response) => {
    const id = actorId(req);
    const patch = ActorPatch.parse(req.body);
    const { result, etag } = await ifMatch(req, { table: 'actors', id }, () => actors.findWithMovies(id), () => actors.update(id, patch));
    if (!result) throw missing(id);
    if (etag !== undefined) res.set('ETag', etag);
    res.json({ success: true, actor_before: result.before, modified_actor: result.after });
  };

  const remove = async (req: Request, res: Response) => {
    const id = actorId(req);
    const { result } = await ifMatch(req, { table: 'actors', id }, () => actors.findWithMovies(id), () => actors.remove(id));
    if (!result) throw missing(id);
    res.json({
      success: true,
      deleted_actor_id: id,
      deleted_actor: result.deleted,
      number_of_actors_before: result.countBefore,
      number_of_actors_after: result.countAfter,
    });
  };

  const router = Router();
  router
    .route('/')
    .get(guard(Permission.getActors), list)
    .post(guard(Permission.postActors), jsonBody, create)
    .all(methodNotAllowed('GET', 'POST'));
  router
    .route('/:id')
    .get(guard(Permission.getActors), show)
    .patch(guard(Permission.patchActors), jsonBody, update)
    .delete(guard(Permission.deleteActors), remove)
    .all(methodNotAllowed('GET', 'PATCH', 'DELETE'));
  return router;
}

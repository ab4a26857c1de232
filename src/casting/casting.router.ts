import { Router, type Request, type Response } from 'express';
import type { Guard } from '../auth/guard';
import { Permission } from '../auth/permissions';
import { notFound } from '../http/errors';
import { methodNotAllowed } from '../http/routing';
import { PageQuery, parseId, parseQuery } from '../http/validate';
import type { CastChange, CastingRepository } from './casting.repository';

const pairOf = (req: Request) => ({ movieId: parseId(req.params.id, 'Movie'), actorId: parseId(req.params.actorId, 'Actor') });

/** 404 naming whichever of the two does not exist. */
function requireBoth({ movie, actor }: CastChange, movieId: number, actorId: number): void {
  if (!movie && !actor) throw notFound(`Movie ${movieId} and actor ${actorId} not found`);
  if (!movie) throw notFound(`Movie ${movieId} not found`);
  if (!actor) throw notFound(`Actor ${actorId} not found`);
}

/** PUT/DELETE /movies/:id/actors/:actorId and the two cast lists, mounted on the app's root. */
export function castingRouter(casting: CastingRepository, guard: Guard): Router {
  const cast = async (req: Request, res: Response) => {
    const { movieId, actorId } = pairOf(req);
    const result = await casting.cast(movieId, actorId);
    requireBoth(result, movieId, actorId);
    res.status(result.changed ? 201 : 200).json({ success: true, movie_id: movieId, actor_id: actorId });
  };

  const uncast = async (req: Request, res: Response) => {
    const { movieId, actorId } = pairOf(req);
    const result = await casting.uncast(movieId, actorId);
    requireBoth(result, movieId, actorId);
    if (!result.changed) throw notFound(`Actor ${actorId} is not cast in movie ${movieId}`);
    res.json({ success: true, movie_id: movieId, actor_id: actorId });
  };

  const actorsOfMovie = async (req: Request, res: Response) => {
    const movieId = parseId(req.params.id, 'Movie');
    const page = parseQuery(PageQuery, req.query);
    const { found, items, total } = await casting.actorsOf(movieId, page);
    if (!found) throw notFound(`Movie ${movieId} not found`);
    res.json({ success: true, movie_id: movieId, actors: items, all_actors: total, page: page.page, limit: page.limit });
  };

  const moviesOfActor = async (req: Request, res: Response) => {
    const actorId = parseId(req.params.id, 'Actor');
    const page = parseQuery(PageQuery, req.query);
    const { found, items, total } = await casting.moviesOf(actorId, page);
    if (!found) throw notFound(`Actor ${actorId} not found`);
    res.json({ success: true, actor_id: actorId, movies: items, all_movies: total, page: page.page, limit: page.limit });
  };

  const router = Router();
  router.route('/movies/:id/actors').get(guard(Permission.getMovies), actorsOfMovie).all(methodNotAllowed('GET'));
  router
    .route('/movies/:id/actors/:actorId')
    .put(guard(Permission.patchMovies), cast)
    .delete(guard(Permission.patchMovies), uncast)
    .all(methodNotAllowed('PUT', 'DELETE'));
  router.route('/actors/:id/movies').get(guard(Permission.getActors), moviesOfActor).all(methodNotAllowed('GET'));
  return router;
}

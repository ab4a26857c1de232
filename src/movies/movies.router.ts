import { Router, type Request, type Response } from 'express';
import type { Guard } from '../auth/guard';
import { Permission } from '../auth/permissions';
import { notFound } from '../http/errors';
import { etagOf, type IfMatch } from '../http/etag';
import { markTableSearched } from '../http/rate-limit';
import { jsonBody, methodNotAllowed } from '../http/routing';
import { parseId, parseQuery } from '../http/validate';
import type { MoviesRepository } from './movies.repository';
import { MovieCreate, MovieListQuery, MoviePatch } from './movies.schemas';

const movieId = (req: Request) => parseId(req.params.id, 'Movie');
const missing = (id: number) => notFound(`Movie ${id} not found`);

export function moviesRouter(movies: MoviesRepository, guard: Guard, ifMatch: IfMatch): Router {
  const list = async (req: Request, res: Response) => {
    const query = parseQuery(MovieListQuery, req.query);
    const { items, total, searchedTable } = await movies.list(query);
    if (searchedTable) markTableSearched(res);
    res.json({ success: true, movies: items, all_movies: total, page: query.page, limit: query.limit });
  };

  const show = async (req: Request, res: Response) => {
    const id = movieId(req);
    const movie = await movies.findWithActors(id);
    if (!movie) throw missing(id);
    res.set('ETag', etagOf(movie)).json({ success: true, movie });
  };

  const create = async (req: Request, res: Response) => {
    const movie = await movies.create(MovieCreate.parse(req.body));
    res.status(201).location(`/movies/${movie.id}`).json({ success: true, created_id: movie.id, new_movie: movie });
  };

  const update = async (req: Request, res: Response) => {
    const id = movieId(req);
    const patch = MoviePatch.parse(req.body);
    const { result, etag } = await ifMatch(req, { table: 'movies', id }, () => movies.findWithActors(id), () => movies.update(id, patch));
    if (!result) throw missing(id);
    if (etag !== undefined) res.set('ETag', etag);
    res.json({ success: true, old_movie: result.before, modified_movie: result.after });
  };

  const remove = async (req: Request, res: Response) => {
    const id = movieId(req);
    const { result } = await ifMatch(req, { table: 'movies', id }, () => movies.findWithActors(id), () => movies.remove(id));
    if (!result) throw missing(id);
    res.json({
      success: true,
      deleted_movie_id: id,
      deleted_movie: result.deleted,
      number_of_movies_before: result.countBefore,
      number_of_movies_after: result.countAfter,
    });
  };

  const router = Router();
  router
    .route('/')
    .get(guard(Permission.getMovies), list)
    .post(guard(Permission.postMovies), jsonBody, create)
    .all(methodNotAllowed('GET', 'POST'));
  router
    .route('/:id')
    .get(guard(Permission.getMovies), show)
    .patch(guard(Permission.patchMovies), jsonBody, update)
    .delete(guard(Permission.deleteMovies), remove)
    .all(methodNotAllowed('GET', 'PATCH', 'DELETE'));
  return router;
}

import { api } from '../api/client';
import { Permission, type MovieDetail } from '../api/types';
import { useLoad } from '../api/use-load';
import { ScreenHeading } from '../components/heading';
import { Problem } from '../components/problem';
import { longDate } from '../format';
import { navigate, pathOf } from '../router';
import { useCan } from '../session/can';
import { Cast } from './cast';
import { DeleteButton } from './delete-button';

/** A movie: its fields and cast; Edit, Delete and casting for those allowed. */
export function MovieScreen({ id }: { id: number }) {
  const can = useCan();
  const load = useLoad(`movie/${id}`, (signal) => api.get<{ movie: MovieDetail }>(`/movies/${id}`, signal));
  const movie = load.answer?.body.movie;
  if (!movie) {
    return (
      <>
        <ScreenHeading title="Movie">Movie</ScreenHeading>
        {load.error ? <Problem error={load.error} onRetry={load.reload} /> : <p role="status">Loading…</p>}
        <p>
          <a href={pathOf('movies')}>All movies</a>
        </p>
      </>
    );
  }
  return (
    <>
      <div class="screen-head">
        <ScreenHeading title={movie.title}>{movie.title}</ScreenHeading>
        <div class="actions">
          {can(Permission.patchMovies) && (
            <button type="button" class="secondary" onClick={() => navigate(pathOf('movies', id, 'edit'))}>
              Edit
            </button>
          )}
          {can(Permission.deleteMovies) && (
            <DeleteButton
              resource="movies"
              noun="movie"
              id={id}
              name={movie.title}
              etag={load.answer?.etag ?? null}
              reload={load.reload}
              consequence={`Its cast of ${movie.actors.length === 1 ? '1 actor' : `${movie.actors.length} actors`} goes with it.`}
            />
          )}
        </div>
      </div>
      {load.error ? <Problem error={load.error} onRetry={load.reload} /> : null}
      <dl class="facts">
        <div>
          <dt>Release date</dt>
          <dd>
            <time dateTime={movie.release_date}>{longDate(movie.release_date)}</time>
          </dd>
        </div>
      </dl>
      <Cast movieId={id} cast={movie.actors} canEdit={can(Permission.patchMovies)} reload={load.reload} />
      <p>
        <a href={pathOf('movies')}>All movies</a>
      </p>
    </>
  );
}

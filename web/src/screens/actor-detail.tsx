import { api } from '../api/client';
import { Permission, type ActorDetail } from '../api/types';
import { useLoad } from '../api/use-load';
import { ScreenHeading } from '../components/heading';
import { Problem } from '../components/problem';
import { longDate } from '../format';
import { navigate, pathOf } from '../router';
import { useCan } from '../session/can';
import { DeleteButton } from './delete-button';

/** An actor: their fields and filmography; Edit and Delete for those allowed. */
export function ActorScreen({ id }: { id: number }) {
  const can = useCan();
  const load = useLoad(`actor/${id}`, (signal) => api.get<{ actor: ActorDetail }>(`/actors/${id}`, signal));
  const actor = load.answer?.body.actor;
  if (!actor) {
    return (
      <>
        <ScreenHeading title="Actor">Actor</ScreenHeading>
        {load.error ? <Problem error={load.error} onRetry={load.reload} /> : <p role="status">Loading…</p>}
        <p>
          <a href={pathOf('actors')}>All actors</a>
        </p>
      </>
    );
  }
  return (
    <>
      <div class="screen-head">
        <ScreenHeading title={actor.name}>{actor.name}</ScreenHeading>
        <div class="actions">
          {can(Permission.patchActors) && (
            <button type="button" class="secondary" onClick={() => navigate(pathOf('actors', id, 'edit'))}>
              Edit
            </button>
          )}
          {can(Permission.deleteActors) && (
            <DeleteButton
              resource="actors"
              noun="actor"
              id={id}
              name={actor.name}
              etag={load.answer?.etag ?? null}
              reload={load.reload}
              consequence={`${actor.name} will also be removed from the cast of ${actor.movies.length === 1 ? '1 movie' : `${actor.movies.length} movies`}.`}
            />
          )}
        </div>
      </div>
      {load.error ? <Problem error={load.error} onRetry={load.reload} /> : null}
      <dl class="facts">
        <div>
          <dt>Age</dt>
          <dd>{actor.age}</dd>
        </div>
        <div>
          <dt>Gender</dt>
          <dd>{actor.gender}</dd>
        </div>
      </dl>
      <section aria-labelledby="filmography">
        <h2 id="filmography">Filmography</h2>
        {actor.movies.length === 0 ? (
          <p>Not cast in any movie yet.</p>
        ) : (
          <ul class="cards">
            {actor.movies.map((m) => (
              <li key={m.id}>
                <a href={pathOf('movies', m.id)}>{m.title}</a>
                <span class="muted">
                  <time dateTime={m.release_date}>{longDate(m.release_date)}</time>
                  {m.character ? ` · as ${m.character}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p>
        <a href={pathOf('actors')}>All actors</a>
      </p>
    </>
  );
}

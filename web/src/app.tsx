import type { Me } from './api/types';
import { Flash } from './components/flash';
import { ScreenHeading } from './components/heading';
import { Problem } from './components/problem';
import { BASE, pathOf, routeOf, usePlace, type Place, type Resource } from './router';
import { ActorScreen } from './screens/actor-detail';
import { actorForm, movieForm } from './screens/form-spec';
import { FormScreen } from './screens/form';
import { ListScreen } from './screens/list';
import { actorList, movieList } from './screens/list-spec';
import { MovieScreen } from './screens/movie-detail';
import { SignIn } from './screens/sign-in';
import { MeContext } from './session/can';
import { roleName } from './session/roles';
import { session, useSession } from './session/session';

export function App() {
  const state = useSession();
  const place = usePlace();
  if (state.status === 'starting' || (state.status === 'signed-in' && state.me === null)) {
    return (
      <main id="main">
        <p role="status">Signing in…</p>
      </main>
    );
  }
  if (state.status === 'unavailable') {
    return (
      <main id="main">
        <ScreenHeading title="Unavailable">The casting board could not start</ScreenHeading>
        <Problem error={state.error} onRetry={() => location.reload()} />
      </main>
    );
  }
  if (state.status === 'signed-out') {
    return (
      <>
        <Header me={null} place={place} />
        <SignIn state={state} />
      </>
    );
  }
  return (
    <MeContext.Provider value={state.me!}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Header me={state.me} place={place} />
      <main id="main">
        <Flash path={place.pathname} />
        <Screen key={place.pathname} place={place} />
      </main>
    </MeContext.Provider>
  );
}

function Header({ me, place }: { me: Me | null; place: Place }) {
  const section = routeOf(place.pathname);
  const current = (r: Resource) => ('resource' in section && section.resource === r ? 'page' : undefined);
  return (
    <header class="top">
      <a class="brand" href={`${BASE}/`}>
        Casting board
      </a>
      {me && (
        <>
          <nav aria-label="Main">
            <a href={pathOf('actors')} aria-current={current('actors')}>
              Actors
            </a>
            <a href={pathOf('movies')} aria-current={current('movies')}>
              Movies
            </a>
          </nav>
          <div class="who">
            <span>
              <strong>{roleName(me.permissions)}</strong>
              <span class="muted"> · {me.sub}</span>
            </span>
            <button type="button" class="secondary small" onClick={() => void session.signOut()}>
              Sign out
            </button>
          </div>
        </>
      )}
    </header>
  );
}

function Screen({ place }: { place: Place }) {
  const route = routeOf(place.pathname);
  const forms = { actors: actorForm, movies: movieForm };
  switch (route.screen) {
    case 'list':
      return route.resource === 'actors' ? <ListScreen spec={actorList} place={place} /> : <ListScreen spec={movieList} place={place} />;
    case 'new':
      return <FormScreen spec={forms[route.resource]} />;
    case 'edit':
      return <FormScreen spec={forms[route.resource]} id={route.id} />;
    case 'detail':
      return route.resource === 'actors' ? <ActorScreen id={route.id} /> : <MovieScreen id={route.id} />;
    case 'not-found':
      return (
        <>
          <ScreenHeading title="Not found">There is no such screen</ScreenHeading>
          <p>
            The address <code>{place.pathname}</code> is not a screen of the casting board. Go to the <a href={pathOf('actors')}>actors</a>{' '}
            or the <a href={pathOf('movies')}>movies</a>.
          </p>
        </>
      );
  }
}

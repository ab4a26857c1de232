import { useState } from 'preact/hooks';
import { ScreenHeading } from '../components/heading';
import { session, type DevRole, type SessionState } from '../session/session';

const ROLES: { role: DevRole; label: string; can: string }[] = [
  { role: 'assistant', label: 'Casting Assistant', can: 'browses actors and movies' },
  { role: 'director', label: 'Casting Director', can: 'also adds, edits and deletes actors, and casts them' },
  { role: 'producer', label: 'Executive Producer', can: 'also adds and deletes movies' },
];

type Props = { state: Extract<SessionState, { status: 'signed-out' }> };

/** Signing in, the way this server allows: a role (development), an access token (token mode), or Auth0. */
export function SignIn({ state }: Props) {
  const { config, notice, error, busy } = state;
  return (
    <main id="main" class="sign-in">
      <ScreenHeading title="Sign in">Sign in to the casting board</ScreenHeading>
      {notice && (
        <div class="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      {error && (
        <div class="problem" role="alert">
          <p>{error}</p>
        </div>
      )}
      {config.mode === 'development' && <DevelopmentSignIn busy={busy === true} />}
      {config.mode === 'token' && <TokenSignIn />}
      {config.mode === 'auth0' && (
        <>
          <p>Sign in with your agency account (Auth0). You come back to this screen afterwards.</p>
          <button type="button" onClick={() => void session.logIn()}>
            Log in
          </button>
        </>
      )}
    </main>
  );
}

function DevelopmentSignIn({ busy }: { busy: boolean }) {
  return (
    <>
      <p>This server runs in development mode: it signs its own tokens and accepts no Auth0 sign-in. Choose the role to work as.</p>
      <ul class="roles">
        {ROLES.map(({ role, label, can }) => (
          <li key={role}>
            <button type="button" disabled={busy} aria-describedby={`role-${role}`} onClick={() => void session.signInAs(role)}>
              {label}
            </button>
            <span id={`role-${role}`} class="muted">
              {can}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function TokenSignIn() {
  const [token, setToken] = useState('');
  return (
    <>
      <p>
        This server checks Auth0 tokens, but no Auth0 application is configured for the web app, so it cannot offer Log in. To turn Log in
        on, create a <em>Single Page Application</em> in Auth0 and start the server with <code>AUTH0_CLIENT_ID</code> set to its client id
        (see the README). Until then, paste an access token for this API.
      </p>
      <form
        class="edit"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) void session.signInWithToken(token);
        }}
      >
        <div class="field">
          <label for="access-token">Access token</label>
          <textarea
            id="access-token"
            rows={4}
            spellcheck={false}
            autoComplete="off"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </div>
        <div class="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
    </>
  );
}

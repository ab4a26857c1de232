/**
 * Sign-in through Auth0 (Universal Login, Authorization Code + PKCE) with the unmodified
 * @auth0/auth0-spa-js. Loaded only in Auth0 mode, with `await import('./auth/auth0')`: the library is
 * a separate chunk of ~63 kB gzipped that development and token mode never download.
 *
 * Tokens are kept in local storage with refresh tokens (rotating), so a reload stays signed in even
 * when the browser blocks third-party cookies, which breaks Auth0's hidden-iframe renewal whenever
 * the app and the tenant are different sites. The risk accepted: script running on our origin could
 * read them (docs/decisions.md says why that is acceptable here).
 */
import { createAuth0Client, type Auth0Client } from '@auth0/auth0-spa-js';

export type Auth0Config = { mode: 'auth0'; domain: string; clientId: string; audience: string };

export type Auth0Session = {
  /** Signed in, after handling the redirect callback when the URL had `code`/`state`. */
  signedIn: boolean;
  /** The app path and query the person was on when they pressed Log in (only right after the callback). */
  returnTo?: string;
  /** The ID token's name or email, when the tenant sent one (the API's `sub` is the identity otherwise). */
  identity?: string;
  /** Why the sign-in that just came back failed (an `error` from the tenant, or a stale callback). */
  error?: string;
  /** Redirects to Universal Login; afterwards the app comes back to `returnTo`. */
  login(returnTo: string): Promise<void>;
  /** An access token for the API, renewed silently; rejects when it cannot be (sign in again). */
  getToken(): Promise<string>;
  /** Ends the Auth0 session too, so the next Log in asks for credentials; comes back to /app/. */
  signOut(): Promise<void>;
};

type AppState = { returnTo?: string };

/** Where Auth0 sends the browser back to, and the only app paths a callback may return to. */
const APP_PATH = '/app/';
const appUrl = () => `${location.origin}${APP_PATH}`;

/** Only a path of this app (so never another origin, `//evil` or `https:`), whatever the stored state says. */
const safeReturnTo = (value: unknown): string | undefined => (typeof value === 'string' && value.startsWith(APP_PATH) ? value : undefined);

/** Auth0 answers the redirect URI with `code` and `state`, or `error` and `state`. */
const isCallback = (params: URLSearchParams) => params.has('state') && (params.has('code') || params.has('error'));

/** The URL without the callback's parameters, so a reload or a shared link never replays them. */
function dropCallbackParams(): void {
  const url = new URL(location.href);
  for (const name of ['code', 'state', 'error', 'error_description', 'iss']) url.searchParams.delete(name);
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function finishRedirect(client: Auth0Client): Promise<Pick<Auth0Session, 'returnTo' | 'error'>> {
  try {
    const result = await client.handleRedirectCallback<AppState>();
    const returnTo = safeReturnTo(result.appState?.returnTo);
    return returnTo === undefined ? {} : { returnTo };
  } catch (err) {
    // A denied sign-in, a callback opened twice, or one from another tab: nobody new is signed in, and the reason is given.
    return { error: messageOf(err) };
  } finally {
    dropCallbackParams();
  }
}

export async function startAuth0(config: Auth0Config): Promise<Auth0Session> {
  const client = await createAuth0Client({
    domain: config.domain,
    clientId: config.clientId,
    authorizationParams: { audience: config.audience, redirect_uri: appUrl() },
    useRefreshTokens: true,
    cacheLocation: 'localstorage',
  });
  const callback = isCallback(new URLSearchParams(location.search)) ? await finishRedirect(client) : {};
  const signedIn = await client.isAuthenticated();
  const user = signedIn ? await client.getUser() : undefined;
  const identity = user?.name ?? user?.email;
  return {
    signedIn,
    ...callback,
    ...(identity === undefined ? {} : { identity }),
    login: (returnTo) => client.loginWithRedirect<AppState>({ appState: { returnTo: safeReturnTo(returnTo) ?? APP_PATH } }),
    getToken: async () => {
      const token = await client.getTokenSilently();
      if (!token) throw new Error('Auth0 gave no access token');
      return token;
    },
    signOut: () => client.logout({ logoutParams: { returnTo: appUrl() } }),
  };
}

import { useEffect, useState } from 'preact/hooks';
import { ApiError, request, useTokens } from '../api/client';
import type { Me, SignInConfig } from '../api/types';
import type { Auth0Session } from '../auth/auth0';
import { navigate } from '../router';

/**
 * Who is signed in, and how. Development and token mode keep the token in localStorage (a reload
 * stays signed in); Auth0 mode asks auth0-spa-js, loaded as its own chunk only in that mode. The
 * identity always comes from GET /me, so what the page shows is what the API will allow.
 */
export type SessionState =
  | { status: 'starting' }
  | { status: 'unavailable'; error: ApiError }
  | { status: 'signed-out'; config: SignInConfig; notice?: string; error?: string; busy?: boolean }
  | { status: 'signed-in'; config: SignInConfig; me: Me | null };

export type DevRole = 'assistant' | 'director' | 'producer';

const TOKEN_KEY = 'casting-board:token';
const EXPIRED = 'Your session has ended (signed out or expired). Sign in again to continue on this screen.';

let state: SessionState = { status: 'starting' };
let auth0: Auth0Session | null = null;
const listeners = new Set<(s: SessionState) => void>();

function set(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener(next);
}

const stored = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

useTokens({
  token: async () => (auth0 ? auth0.getToken() : stored.get()),
  expired: () => {
    if (state.status !== 'signed-in') return;
    if (!auth0) stored.clear();
    set({ status: 'signed-out', config: state.config, notice: EXPIRED });
  },
});

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function identify(config: SignInConfig): Promise<void> {
  try {
    const { body } = await request<Me & { success: true }>('GET', '/me');
    set({ status: 'signed-in', config, me: { sub: body.sub, permissions: body.permissions } });
  } catch (err) {
    // A 401 has already ended the session (with its notice); anything else is said as it is.
    if (state.status !== 'signed-out' || !(err instanceof ApiError && err.status === 401)) {
      set({ status: 'signed-out', config, error: messageOf(err) });
    }
  }
}

async function start(): Promise<void> {
  let config: SignInConfig;
  try {
    config = (await request<SignInConfig>('GET', '/app/config.json', { auth: false })).body;
  } catch (err) {
    set({ status: 'unavailable', error: err instanceof ApiError ? err : new ApiError(0, 'network_error', messageOf(err)) });
    return;
  }
  if (config.mode === 'auth0') return startAuth0Mode(config);
  // Signed in as the identity that would be checked anyway: set() before /me keeps expired() able to end it.
  if (stored.get() === null) return set({ status: 'signed-out', config });
  set({ status: 'signed-in', config, me: null });
  await identify(config);
}

async function startAuth0Mode(config: Extract<SignInConfig, { mode: 'auth0' }>): Promise<void> {
  try {
    const { startAuth0 } = await import('../auth/auth0');
    auth0 = await startAuth0(config);
  } catch (err) {
    return set({ status: 'signed-out', config, error: `Auth0 sign-in could not start: ${messageOf(err)}` });
  }
  if (!auth0.signedIn) return set({ status: 'signed-out', config, ...(auth0.error ? { error: auth0.error } : {}) });
  if (auth0.returnTo) navigate(auth0.returnTo, { replace: true });
  set({ status: 'signed-in', config, me: null });
  await identify(config);
}

async function withToken(token: string): Promise<void> {
  if (state.status !== 'signed-out') return;
  const { config } = state;
  stored.set(token);
  set({ status: 'signed-in', config, me: null });
  await identify(config);
  if (state.status === 'signed-out') {
    stored.clear();
    set({ ...state, notice: undefined, error: state.error ?? 'That token was not accepted.' });
  }
}

export const session = {
  start,
  /** Development mode: POST /app/dev-token for the role. */
  async signInAs(role: DevRole): Promise<void> {
    if (state.status !== 'signed-out') return;
    const before = state;
    set({ ...before, busy: true, error: undefined });
    try {
      const { body } = await request<{ token: string }>('POST', '/app/dev-token', { body: { role }, auth: false });
      set({ ...before, busy: false });
      await withToken(body.token);
    } catch (err) {
      set({ ...before, busy: false, notice: undefined, error: `Could not sign in: ${messageOf(err)}` });
    }
  },
  /** Token mode: an access token pasted by the person. */
  signInWithToken: (token: string) => withToken(token.trim().replace(/^Bearer\s+/i, '')),
  /** Auth0 mode: Universal Login, coming back to the screen the person is on. */
  async logIn(): Promise<void> {
    await auth0?.login(`${location.pathname}${location.search}`);
  },
  async signOut(): Promise<void> {
    if (state.status !== 'signed-in') return;
    const { config } = state;
    stored.clear();
    if (auth0) {
      await auth0.signOut();
      return;
    }
    set({ status: 'signed-out', config });
    navigate('/app/');
  },
};

export function useSession(): SessionState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    return () => void listeners.delete(setCurrent);
  }, []);
  return current;
}

import type { ErrorDetail } from './types';

/**
 * The one way the app talks to the API: same origin, JSON, the bearer token from the session, and
 * every failure turned into an `ApiError` a screen can show. Nothing here swallows an error.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** The HTTP status; 0 when no answer came (offline, connection refused). */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Seconds to wait, from `Retry-After` (429, 503). */
    readonly retryAfter: number | null = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

export type Answer<T> = { body: T; etag: string | null };

type Options = { body?: unknown; ifMatch?: string | null; signal?: AbortSignal; auth?: boolean };

type TokenSource = {
  /** The bearer token, or null when signed out. */
  token(): Promise<string | null>;
  /** Called on every 401: the session ends and the sign-in screen returns to this screen. */
  expired(): void;
};

let tokens: TokenSource = { token: async () => null, expired: () => undefined };

export const useTokens = (source: TokenSource): void => void (tokens = source);

const retryAfterOf = (res: Response): number | null => {
  const value = res.headers.get('Retry-After');
  if (value === null) return null;
  const seconds = /^\d+$/.test(value) ? Number(value) : Math.ceil((Date.parse(value) - Date.now()) / 1000);
  return Number.isFinite(seconds) ? Math.max(seconds, 0) : null;
};

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string; details?: ErrorDetail[] } | null;
  const message = body?.message ?? `The server answered ${res.status} ${res.statusText}`;
  return new ApiError(
    res.status,
    body?.code ?? 'http_error',
    message,
    body?.details ?? [],
    retryAfterOf(res),
    res.headers.get('X-Request-Id'),
  );
}

export async function request<T>(method: string, path: string, { body, ifMatch, signal, auth = true }: Options = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (auth) {
    const token = await tokens.token().catch(() => null);
    if (token === null) {
      tokens.expired();
      throw new ApiError(401, 'signed_out', 'You are signed out: sign in again.');
    }
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch) headers['If-Match'] = ifMatch;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection, then try again.');
  }
  if (!res.ok) {
    const error = await errorOf(res);
    if (res.status === 401 && auth) tokens.expired();
    throw error;
  }
  return { body: (await res.json()) as T, etag: res.headers.get('ETag') };
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal }),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown, ifMatch: string | null) => request<T>('PATCH', path, { body, ifMatch }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string, ifMatch: string | null = null) => request<T>('DELETE', path, { ifMatch }),
};

export const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';

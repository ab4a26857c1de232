import { ApiError } from '../api/client';

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);
const clock = (inSeconds: number) => new Date(Date.now() + inSeconds * 1000).toLocaleTimeString([], { hour12: false });

const whenToRetry = (err: ApiError) =>
  err.retryAfter === null ? 'Try again in a moment.' : `Try again in ${seconds(err.retryAfter)} (at ${clock(err.retryAfter)}).`;

/** What went wrong, in words a person can act on. */
export function describe(err: unknown): string {
  if (!(err instanceof ApiError)) return `Something went wrong in the page: ${err instanceof Error ? err.message : String(err)}`;
  if (err.status === 0) return err.message;
  if (err.status === 403) return `You are not allowed to do this: ${err.message}`;
  if (err.status === 429) return `Too many requests for now. ${whenToRetry(err)}`;
  if (err.status === 503) return `The service is briefly unavailable. ${whenToRetry(err)}`;
  if (err.status >= 500)
    return `The server failed to answer (${err.status}): ${err.message}${err.requestId ? ` Request id: ${err.requestId}.` : ''}`;
  return err.message;
}

type Props = { error: unknown; onRetry?: () => void; id?: string };

/** A failure, announced (role="alert") and kept on screen until the person moves on or retries. */
export function Problem({ error, onRetry, id }: Props) {
  return (
    <div class="problem" role="alert" id={id}>
      <p>{describe(error)}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

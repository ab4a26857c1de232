import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort, type Answer } from './client';

export type Load<T> = {
  answer: Answer<T> | null;
  error: unknown;
  loading: boolean;
  reload(): void;
};

/**
 * Runs `fetcher` whenever `key` changes (a URL, say), cancelling the request it replaces. The last
 * answer stays while the next one loads, so a list does not flash empty between pages.
 */
export function useLoad<T>(key: string, fetcher: (signal: AbortSignal) => Promise<Answer<T>>): Load<T> {
  const [state, setState] = useState<Omit<Load<T>, 'reload'>>({ answer: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  const latest = useRef(fetcher);
  latest.current = fetcher;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    latest.current(controller.signal).then(
      (answer) => setState({ answer, error: null, loading: false }),
      (error: unknown) => isAbort(error) || setState((s) => ({ ...s, error, loading: false })),
    );
    return () => controller.abort();
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

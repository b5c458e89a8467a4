import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { UnauthorizedError } from '../errors.js';
import { reportUnauthorized, useAuth } from './auth.js';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  /** A request for the current key is in flight (the first one, or a refresh). */
  loading: boolean;
  /** Fetches again now, keeping the shown data until the answer arrives. */
  reload: () => void;
}

export interface UseApiOptions {
  /** Refetch every `pollMs` while the tab is visible: how new issues appear without a reload. */
  pollMs?: number;
}

/**
 * Loads `key`'s data with `load`; a new key drops the old data (it described something else), a poll or
 * `reload` keeps it on screen until the fresh answer replaces it. A 401 raises the read-token prompt.
 */
export function useApi<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  options: UseApiOptions = {},
): Loaded<T> {
  const { generation } = useAuth();
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error; loading: boolean }>({
    key,
    loading: key !== null,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const inFlight = useRef<AbortController | undefined>(undefined);

  const fetchNow = useCallback(
    (mode: 'fresh' | 'refresh' | 'poll') => {
      if (key === null) return;
      if (mode === 'poll' && inFlight.current) return; // a poll never stacks on a slow request
      const fresh = mode === 'fresh';
      inFlight.current?.abort();
      const ac = new AbortController();
      inFlight.current = ac;
      setState((s) => (fresh ? { key, loading: true } : { ...s, key, loading: true }));
      loadRef.current(ac.signal).then(
        (data) => {
          if (ac.signal.aborted) return;
          inFlight.current = undefined;
          setState({ key, data, loading: false });
        },
        (err: unknown) => {
          if (ac.signal.aborted) return;
          inFlight.current = undefined;
          const error = err instanceof Error ? err : new Error(String(err));
          if (error instanceof UnauthorizedError) reportUnauthorized(error);
          setState((s) => ({ ...s, key, error, loading: false }));
        },
      );
    },
    [key],
  );

  useEffect(() => {
    fetchNow('fresh');
    return () => {
      inFlight.current?.abort();
      inFlight.current = undefined;
    };
  }, [fetchNow, generation]);

  const { pollMs } = options;
  useEffect(() => {
    if (!pollMs || key === null) return undefined;
    const tick = (): void => {
      if (document.visibilityState === 'visible') fetchNow('poll');
    };
    const timer = window.setInterval(tick, pollMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [pollMs, key, fetchNow]);

  const reload = useCallback(() => fetchNow('refresh'), [fetchNow]);
  const own = state.key === key;
  return { data: own ? state.data : undefined, error: own ? state.error : undefined, loading: own ? state.loading : true, reload };
}

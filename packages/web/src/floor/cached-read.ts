/**
 * A read that opens offline: the last answer kept in IndexedDB is shown at once, the network
 * answer replaces it when it comes (and is kept for next time). `fresh` says whether what is
 * shown came from the server in this session, so the screen can say "offline: as of 10:42".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { cache, cached } from './outbox';

interface Stored<T> {
  value: T;
  at: number;
}

export interface CachedRead<T> {
  data: T | undefined;
  at: number | null;
  fresh: boolean;
  error: string | null;
  refresh: () => Promise<void>;
}

export function useCachedRead<T>(key: string | null, fetcher: () => Promise<T>): CachedRead<T> {
  const [state, setState] = useState<{ data?: T; at: number | null; fresh: boolean; error: string | null }>({
    at: null,
    fresh: false,
    error: null,
  });
  const fetchRef = useRef(fetcher);
  fetchRef.current = fetcher;
  const keyRef = useRef(key);
  keyRef.current = key;

  const refresh = useCallback(async () => {
    const k = keyRef.current;
    if (!k) return;
    try {
      const value = await fetchRef.current();
      if (keyRef.current !== k) return;
      const at = Date.now();
      setState({ data: value, at, fresh: true, error: null });
      await cache(k, { value, at } satisfies Stored<T>);
    } catch (err) {
      if (keyRef.current !== k) return;
      setState((s) => ({ ...s, fresh: false, error: err instanceof Error ? err.message : String(err) }));
    }
  }, []);

  useEffect(() => {
    if (!key) return;
    let live = true;
    setState({ at: null, fresh: false, error: null });
    void cached<Stored<T>>(key).then((hit) => {
      if (live && hit) setState((s) => (s.fresh ? s : { data: hit.value, at: hit.at, fresh: false, error: s.error }));
    });
    void refresh();
    return () => {
      live = false;
    };
  }, [key, refresh]);

  return { data: state.data, at: state.at, fresh: state.fresh, error: state.error, refresh };
}

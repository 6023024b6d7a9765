// Loads data for a page and reloads on demand; errors are kept for <ProblemView>.
import { useCallback, useEffect, useState } from 'react';

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const stableLoad = useCallback(load, deps);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    stableLoad(ctrl.signal).then(
      (d) => {
        if (ctrl.signal.aborted) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [stableLoad, tick]);

  return { data, error, loading, reload: useCallback(() => setTick((n) => n + 1), []) };
}

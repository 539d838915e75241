import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters, sort and page live in the URL so a filtered list can be bookmarked, shared and survives reloads.
 * Changing any filter returns to page 1.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const out = {} as Record<K, string>;
    for (const k of keys) out[k] = params.get(k) ?? '';
    return out;
    // keys is a constant list per page
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params]);
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const pageSize = Math.min(100, Math.max(1, Number(params.get('page_size') ?? '25') || 25));

  const setFilters = useCallback(
    (patch: Partial<Record<K, string>>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch) as [string, string | undefined][]) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          next.delete('page');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const setPage = useCallback(
    (p: number) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (p > 1) next.set('page', String(p));
        else next.delete('page');
        return next;
      }),
    [setParams],
  );
  const setPageSize = useCallback(
    (size: number) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        next.set('page_size', String(size));
        next.delete('page');
        return next;
      }),
    [setParams],
  );
  // The page size is a preference, not a filter: clearing the filters keeps it.
  const clear = useCallback(
    () =>
      setParams(
        (prev) => {
          const size = prev.get('page_size');
          return new URLSearchParams(size ? { page_size: size } : {});
        },
        { replace: true },
      ),
    [setParams],
  );
  return { filters, page, pageSize, setFilters, setPage, setPageSize, clear };
}

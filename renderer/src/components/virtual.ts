/**
 * A small virtualizer for fixed-height rows: which rows are on screen, and paged loading of
 * them from the main process. Pages are fetched once per query; a new query starts over.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** Rows [first, last) under the viewport plus some overscan; the caller clamps `last` to its row count. */
export function useVisibleRange(rowHeight: number, overscan = 10) {
  const ref = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ first: 0, last: 40 });
  const update = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const first = Math.max(0, Math.floor(el.scrollTop / rowHeight) - overscan);
    const last = Math.ceil((el.scrollTop + el.clientHeight) / rowHeight) + overscan;
    setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
  }, [rowHeight, overscan]);
  useEffect(() => {
    update();
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(update);
    ro.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, [update]);
  return { ref, ...range };
}

export interface PagedRows<T> {
  total: number | null;
  row(i: number): T | undefined;
  error: string | null;
}

/** Loads pages of `pageSize` rows covering [first, last) with `fetchPage`; keyed by `queryKey`. */
export function usePagedRows<T>(
  queryKey: string,
  first: number,
  last: number,
  fetchPage: (start: number, limit: number) => Promise<{ rows: T[]; total: number }>,
  pageSize = 200,
): PagedRows<T> {
  const [state, setState] = useState<{ key: string; total: number | null; pages: Map<number, T[]>; error: string | null }>({
    key: queryKey,
    total: null,
    pages: new Map(),
    error: null,
  });
  const inflight = useRef(new Set<string>());
  const current = state.key === queryKey ? state : { key: queryKey, total: null, pages: new Map<number, T[]>(), error: null };

  useEffect(() => {
    const wanted: number[] = [];
    const lastRow = current.total === null ? pageSize : Math.max(1, Math.min(last, current.total));
    for (let p = Math.floor(first / pageSize); p <= Math.floor((lastRow - 1) / pageSize); p++) {
      if (!current.pages.has(p) && !inflight.current.has(`${queryKey}#${p}`)) wanted.push(p);
    }
    for (const p of wanted) {
      const tag = `${queryKey}#${p}`;
      inflight.current.add(tag);
      fetchPage(p * pageSize, pageSize)
        .then((r) =>
          setState((s) => {
            const base = s.key === queryKey ? s : { key: queryKey, total: null, pages: new Map<number, T[]>(), error: null };
            const pages = new Map(base.pages);
            pages.set(p, r.rows);
            return { ...base, total: r.total, pages };
          }),
        )
        .catch((e: unknown) => setState((s) => ({ ...s, key: queryKey, error: (e as Error).message })))
        .finally(() => inflight.current.delete(tag));
    }
  }, [queryKey, first, last, current.total, current.pages, fetchPage, pageSize]);

  return {
    total: current.total,
    error: current.error,
    row: (i) => current.pages.get(Math.floor(i / pageSize))?.[i % pageSize],
  };
}

/**
 * A paged virtualized table: the visible range of its body, the rows loaded for it, and the
 * props VirtualBody takes for that geometry (spread them onto it).
 */
export function usePagedTable<T>(
  queryKey: string,
  rowHeight: number,
  fetchPage: (start: number, limit: number) => Promise<{ rows: T[]; total: number }>,
) {
  const { ref, first, last } = useVisibleRange(rowHeight);
  const rows = usePagedRows<T>(queryKey, first, last, fetchPage);
  return { rows, body: { bodyRef: ref, rowHeight, count: rows.total ?? 0, first, last } };
}

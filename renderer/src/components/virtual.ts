/**
 * A virtualized table's rows, paged from the main process: TanStack Virtual says which rows
 * are on screen, each page of them is a TanStack query (keyed by the table's query and the
 * page number, so a page seen once comes back from the cache while scrolling back, and a new
 * search or sort starts over). The row count comes from the pages: every reply carries it.
 */
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { failedRead } from '../query.js';

interface Page<T> {
  rows: T[];
  total: number;
}

export interface PagedRows<T> {
  total: number | null;
  row(i: number): T | undefined;
  /** A page that failed, and its Retry. */
  failed: { error: Error; retry: () => unknown } | null;
}

export interface BodyGeometry {
  bodyRef: React.RefObject<HTMLDivElement | null>;
  items: VirtualItem[];
  height: number;
}

export function usePagedTable<T>(key: readonly unknown[], rowHeight: number, fetchPage: (start: number, limit: number) => Promise<Page<T>>, pageSize = 200): { rows: PagedRows<T>; body: BodyGeometry } {
  const bodyRef = useRef<HTMLDivElement>(null);
  const client = useQueryClient();
  // The count any page of this query gave, while the pages on screen are still on their way.
  const known = client.getQueriesData<Page<T>>({ queryKey: key }).find(([, d]) => d !== undefined)?.[1]?.total ?? null;
  // No React Compiler runs here: the virtualizer's functions are called afresh on every render.
  // eslint-disable-next-line react/incompatible-library
  const v = useVirtualizer({ count: known ?? 0, getScrollElement: () => bodyRef.current, estimateSize: () => rowHeight, overscan: 10 });
  // A new query (another search or sort) starts at its top.
  const queryHash = JSON.stringify(key);
  useEffect(() => {
    bodyRef.current?.scrollTo({ top: 0 });
  }, [queryHash]);
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.length > 0 ? items[items.length - 1]!.index + 1 : 1;
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((last - 1) / pageSize); p++) pages.push(p);
  const results = useQueries({ queries: pages.map((p) => ({ queryKey: [...key, p], queryFn: () => fetchPage(p * pageSize, pageSize) })) });
  const total = results.find((r) => r.data)?.data?.total ?? known;
  return {
    rows: {
      total,
      failed: failedRead(...results),
      row: (i) => results[pages.indexOf(Math.floor(i / pageSize))]?.data?.rows[i % pageSize],
    },
    body: { bodyRef, items, height: v.getTotalSize() },
  };
}

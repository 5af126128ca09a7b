/**
 * Reads over the contract as TanStack queries: a reply is keyed by its channel and request,
 * fetched once however many components ask at once, shown from the cache and asked again when
 * a component opens later (a folder's listing or a preview may have changed), and
 * its failure is the one-line error the main process gave. Every query reads the library's
 * files or settings, so a `library.changed` event refetches those on screen. Nothing retries
 * on its own: a refused read (a locked file, a wrong passphrase) is the user's to act on.
 * Actions (writes) go through useAction, not here.
 */
import { keepPreviousData, QueryClient, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ChannelName, Req, Res } from '../../shared/contract.js';
import { api, onEvent } from './api.js';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, gcTime: 60_000 },
  },
});

export const replyKey = <K extends ChannelName>(channel: K, req?: Req<K>) => (req === undefined ? [channel] : [channel, req]);

export interface ReplyOptions {
  /**
   * The reply holds something to release or keep to itself (an export's handle): no cached copy
   * outlives the component, and a library change does not swap it under the user.
   */
  owned?: boolean;
  /** While a new request is asked, the last request's reply stays (completions as one types). */
  keepPrevious?: boolean;
}

/** The reply of `channel` to `req`, or nothing yet while `req` is null (not ready to ask). */
export function useReply<K extends ChannelName>(channel: K, req: Req<K> | null, opts: ReplyOptions = {}): UseQueryResult<Res<K>, Error> {
  return useQuery({
    queryKey: replyKey(channel, req ?? undefined),
    queryFn: () => api[channel](req!),
    enabled: req !== null,
    ...(opts.owned ? { gcTime: 0, meta: { owned: true } } : {}),
    ...(opts.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

/** Refetches what is shown when the library changes on disk (owned replies excepted). */
export function followLibrary(): () => void {
  return onEvent('library.changed', () => void queryClient.invalidateQueries({ predicate: (q) => q.meta?.owned !== true }));
}

/** The first of these reads that failed, and the refetch that asks it again (an error line's Retry). */
export function failedRead(...reads: readonly UseQueryResult<unknown, Error>[]): { error: Error; retry: () => unknown } | null {
  const failed = reads.find((r) => r.error);
  return failed?.error ? { error: failed.error, retry: () => failed.refetch() } : null;
}

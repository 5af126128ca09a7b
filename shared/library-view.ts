/**
 * What the sidebar shows of the library: entries matching the search and filter, sorted,
 * grouped by account (the sessions of one user id sit together, whatever their library or
 * device), sessions without a known account next, files that are not sessions last.
 */
import type { LibraryEntry } from './contract.js';

export type LibraryFilter = 'all' | 'expired' | 'warnings' | 'unknown';
export type LibrarySort = 'name' | 'activity' | 'modified' | 'format';

export interface AccountGroup {
  key: string;
  /** The user id, or null for the "no account" and "not sessions" groups. */
  userId: string | null;
  isBot: boolean | null;
  title: string;
  entries: LibraryEntry[];
}

function matches(e: LibraryEntry, needle: string): boolean {
  if (!needle) return true;
  return [e.name, e.path, e.format ?? '', e.userId ?? '', e.homeDc === null ? '' : `dc${e.homeDc}`]
    .join('\n')
    .toLowerCase()
    .includes(needle);
}

function passes(e: LibraryEntry, filter: LibraryFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'expired':
      return e.likelyExpired;
    case 'warnings':
      return e.warnings.length > 0 || e.status === 'error';
    case 'unknown':
      return e.status !== 'ok';
  }
}

const lastUse = (e: LibraryEntry) => Math.max(e.lastActivity * 1000, e.mtimeMs);

function comparator(sort: LibrarySort): (a: LibraryEntry, b: LibraryEntry) => number {
  const byName = (a: LibraryEntry, b: LibraryEntry) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path);
  if (sort === 'activity') return (a, b) => lastUse(b) - lastUse(a) || byName(a, b);
  if (sort === 'modified') return (a, b) => b.mtimeMs - a.mtimeMs || byName(a, b);
  if (sort === 'format') return (a, b) => (a.format ?? '~').localeCompare(b.format ?? '~') || byName(a, b);
  return byName;
}

export function groupLibrary(entries: readonly LibraryEntry[], search: string, filter: LibraryFilter, sort: LibrarySort): AccountGroup[] {
  const needle = search.trim().toLowerCase();
  const shown = entries.filter((e) => passes(e, filter) && matches(e, needle)).sort(comparator(sort));
  const accounts = new Map<string, AccountGroup>();
  const noAccount: LibraryEntry[] = [];
  const notSessions: LibraryEntry[] = [];
  for (const e of shown) {
    if (e.status !== 'ok') notSessions.push(e);
    else if (e.userId === null) noAccount.push(e);
    else {
      let g = accounts.get(e.userId);
      if (!g) {
        g = { key: `u${e.userId}`, userId: e.userId, isBot: e.isBot, title: e.userId, entries: [] };
        accounts.set(e.userId, g);
      }
      if (g.isBot === null) g.isBot = e.isBot;
      g.entries.push(e);
    }
  }
  // Accounts keep the order of their first entry under the chosen sort.
  const groups = [...accounts.values()];
  if (noAccount.length > 0) groups.push({ key: 'none', userId: null, isBot: null, title: 'Account not stored', entries: noAccount });
  if (notSessions.length > 0) groups.push({ key: 'unknown', userId: null, isBot: null, title: 'Not sessions', entries: notSessions });
  return groups;
}

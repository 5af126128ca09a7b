/**
 * What the sidebar shows of the library: entries matching the search and filter, sorted,
 * grouped by account (the sessions of one user id sit together, whatever their library or
 * device), sessions without a known account next, files that are not sessions last.
 */
import type { LibraryEntry } from './dto.js';

export type LibraryFilter = 'all' | 'expired' | 'warnings' | 'duplicates' | 'unknown';
export type LibrarySort = 'name' | 'activity' | 'modified' | 'format';

export interface AccountGroup {
  key: string;
  /** The user id, or null for the "no account" and "not sessions" groups. */
  userId: string | null;
  isBot: boolean | null;
  title: string;
  /** The user id under the title, when the title is a name. */
  subtitle: string | null;
  entries: LibraryEntry[];
}

/** Why a duplicate login matters, in one sentence (the session view shows it under the warning). */
export const DUPLICATE_RISK =
  'Two clients running on one auth key at once make Telegram revoke it (AUTH_KEY_DUPLICATED) and log every copy out: use one copy, keep the others as backups.';

/** "Jane Doe @jane" for an account, else its id. */
export function accountTitle(a: { userId: string | null; name: string | null; username: string | null }): string {
  const parts = [a.name, a.username ? `@${a.username}` : null].filter((x): x is string => x !== null && x !== '');
  return parts.length > 0 ? parts.join(' ') : (a.userId ?? 'Unknown account');
}

/** The account id an entry is grouped under: the session's own, else its sidecar's. */
export const accountIdOf = (e: LibraryEntry): string | null => e.account?.userId ?? e.userId;

function matches(e: LibraryEntry, needle: string): boolean {
  if (!needle) return true;
  const a = e.account;
  return [e.name, e.path, e.format ?? '', accountIdOf(e) ?? '', e.homeDc === null ? '' : `dc${e.homeDc}`, a?.name ?? '', a?.username ? `@${a.username}` : '', a?.phone ?? '', ...e.labels, e.note ?? '']
    .join('\n')
    .toLowerCase()
    .includes(needle.replace(/^\+/, ''));
}

/** Whether an entry matches a search as the sidebar's does (the finder uses it too). */
export const entryMatches = (e: LibraryEntry, search: string): boolean => matches(e, search.trim().toLowerCase());

function passes(e: LibraryEntry, filter: LibraryFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'expired':
      return e.likelyExpired;
    case 'warnings':
      return e.warnings.length > 0 || e.status === 'error';
    case 'duplicates':
      return e.duplicates.length > 0;
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

/** Every label in the library, for the sidebar's label filter. */
export function allLabels(entries: readonly LibraryEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.labels))].sort((a, b) => a.localeCompare(b));
}

export function groupLibrary(entries: readonly LibraryEntry[], search: string, filter: LibraryFilter, sort: LibrarySort, label: string | null = null): AccountGroup[] {
  const needle = search.trim().toLowerCase();
  const shown = entries.filter((e) => passes(e, filter) && (label === null || e.labels.includes(label)) && matches(e, needle)).sort(comparator(sort));
  const accounts = new Map<string, AccountGroup>();
  const noAccount: LibraryEntry[] = [];
  const notSessions: LibraryEntry[] = [];
  const locked: LibraryEntry[] = [];
  for (const e of shown) {
    const userId = accountIdOf(e);
    if (e.status === 'locked') locked.push(e);
    else if (e.status !== 'ok') notSessions.push(e);
    else if (userId === null) noAccount.push(e);
    else {
      let g = accounts.get(userId);
      if (!g) {
        g = { key: `u${userId}`, userId, isBot: null, title: userId, subtitle: null, entries: [] };
        accounts.set(userId, g);
      }
      g.isBot ??= e.account?.isBot ?? e.isBot;
      g.entries.push(e);
    }
  }
  // Accounts keep the order of their first entry under the chosen sort.
  const groups = [...accounts.values()];
  for (const g of groups) {
    // Titled by the entry that knows most: a name and a username before either alone.
    const known = (a: LibraryEntry['account']) => (a?.name ? 2 : 0) + (a?.username ? 1 : 0);
    const best = g.entries.reduce((x, y) => (known(y.account) > known(x.account) ? y : x)).account;
    if (best && known(best) > 0) {
      g.title = accountTitle(best);
      g.subtitle = g.userId;
    }
  }
  if (locked.length > 0) groups.push({ key: 'locked', userId: null, isBot: null, title: 'Locked with a passcode', subtitle: null, entries: locked });
  if (noAccount.length > 0) groups.push({ key: 'none', userId: null, isBot: null, title: 'Account not stored', subtitle: null, entries: noAccount });
  if (notSessions.length > 0) groups.push({ key: 'unknown', userId: null, isBot: null, title: 'Not sessions', subtitle: null, entries: notSessions });
  return groups;
}

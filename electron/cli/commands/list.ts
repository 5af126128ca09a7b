import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { accountIdOf, groupLibrary } from '../../../shared/library-view.js';
import type { LibraryEntry } from '../../../shared/dto.js';
import { SessionError } from '../../core/errors.js';
import { libraryEntries, placeEntries, type Placed } from '../../core/library/entries.js';
import { storeEntries } from '../../core/library/store-entries.js';
import { isStoreUrl } from '../../core/store/store-url.js';
import { openCliStore } from '../stores.js';
import { containerOf } from '../../core/formats/tdata-format.js';
import { forgetUnlocked, unlockTdata } from '../../core/formats/tdata/index.js';
import { defaultAppDataDir } from '../../services/app-data.js';
import { SettingsStore } from '../../services/settings.js';
import { scanRoots, withLabels } from '../app-data.js';
import { flag, parse, type Command } from '../args.js';
import { passcodeFromEnv, PASSCODE_ENV } from '../passphrase.js';
import { renderJson } from '../render.js';

export const listCommand: Command = {
  usage: `sessiondeck list <folder | file | store URL>… [--json]

  every session found (sidecars belong to their session), grouped by account, with duplicate
  logins, labels and "likely expired"; files that are not sessions are listed last; a tdata
  behind a local passcode is read with ${PASSCODE_ENV}, else listed as locked; a store URL
  (postgresql://…, redis://…) lists each session in it as <store URL>#<session id>, read-only
  --json         { "entries": [...], "accounts": [{ "userId", "sessions": [paths] }] }, ids as strings`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    if (positionals.length === 0) throw new SessionError('usage', 'give at least one folder or file');
    const stores = positionals.filter(isStoreUrl);
    const roots = positionals.filter((p) => !isStoreUrl(p)).map((p) => resolve(p));
    for (const r of roots) if (!existsSync(r)) throw new SessionError('not-found', `${r}: no such file or folder`);
    const inStores: Placed[] = [];
    for (const url of stores) {
      const store = await openCliStore(url);
      try {
        inStores.push(...placeEntries([[store.location, await storeEntries(store)]]));
      } finally {
        await store.close();
      }
    }
    const scan = async () => [...(await scanRoots(roots)), ...inStores];
    let placed = await scan();
    // A tdata behind a passcode lists as locked; with the passcode in the environment, it is read.
    const passcode = passcodeFromEnv();
    const locked = new Set(placed.filter((p) => p.entry.status === 'locked').map((p) => containerOf(p.entry.path)));
    if (passcode !== undefined && locked.size > 0) {
      try {
        for (const dir of locked) unlockTdata(dir, passcode);
        placed = await scan();
      } finally {
        forgetUnlocked();
      }
    }
    const ttl = new SettingsStore(defaultAppDataDir()).get().authTtlDays;
    const entries = await withLabels((labels) => libraryEntries(placed, labels.all(), ttl));
    io.out(flag(values, 'json') ? renderJson(listJson(entries)) : renderList(entries));
    return 0;
  },
};

function listJson(entries: LibraryEntry[]) {
  const accounts = new Map<string, string[]>();
  for (const e of entries) {
    const id = e.status === 'ok' ? accountIdOf(e) : null;
    if (id !== null) accounts.set(id, [...(accounts.get(id) ?? []), e.path]);
  }
  return {
    entries: entries.map((e) => ({
      path: e.path,
      status: e.status,
      format: e.format,
      authKeyId: e.authKeyId,
      account: e.account && { userId: e.account.userId, isBot: e.account.isBot, name: e.account.name, username: e.account.username, phone: e.account.phone, from: e.account.from },
      sidecar: e.sidecar?.path ?? null,
      duplicates: e.duplicates,
      labels: e.labels,
      note: e.note,
      likelyExpired: e.likelyExpired,
      warnings: e.warnings,
      error: e.error,
    })),
    accounts: [...accounts].map(([userId, sessions]) => ({ userId, sessions })),
  };
}

function renderList(entries: LibraryEntry[]): string {
  const lines: string[] = [];
  for (const g of groupLibrary(entries, '', 'all', 'name')) {
    const kind = g.isBot === null ? 'account' : g.isBot ? 'bot' : 'user';
    const head = g.userId === null ? g.title : g.subtitle === null ? `${kind} ${g.userId}` : `${g.title}  (${kind} ${g.userId})`;
    lines.push(head);
    for (const e of g.entries) {
      const facts = e.status === 'ok'
        ? [e.format, e.homeDc === null ? null : `dc${e.homeDc}`, e.likelyExpired ? 'likely expired' : null, e.sidecar ? `+ ${e.sidecar.path.split(/[\\/]/).pop()}` : null]
        : [e.status === 'unknown' ? 'not a session' : `${e.status}: ${e.error}`];
      lines.push(`  ${e.path}  ${facts.filter(Boolean).join(', ')}`);
      if (e.labels.length > 0) lines.push(`    labels: ${e.labels.join(', ')}`);
      if (e.note) lines.push(`    note: ${e.note.split('\n')[0]}`);
      for (const w of e.warnings) lines.push(`    warning: ${w}`);
    }
  }
  if (lines.length === 0) lines.push('no sessions found');
  return lines.join('\n');
}

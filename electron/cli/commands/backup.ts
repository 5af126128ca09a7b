import { SessionError } from '../../core/errors.js';
import { createBackup } from '../../core/backup/create.js';
import { verify } from '../../core/backup/read.js';
import { restore, planRestore, type ConflictMode } from '../../core/backup/restore.js';
import type { Progress } from '../../core/backup/job.js';
import { archivedFiles } from '../../core/backup/manifest.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { scanRoots, withLabels } from '../app-data.js';
import { flag, one, parse, str, type Command } from '../args.js';
import type { CliIo } from '../io.js';
import { PASSPHRASE_ENV, getPassphrase } from '../passphrase.js';
import { APP_VERSION } from '../version.js';
import { cliStoreOpener } from '../stores.js';
import { restoreIntoStore } from '../../core/backup/restore-store.js';
import { targetFormat } from '../../core/convert/convert.js';
import type { StoreFormatId } from '../../core/store/session-store.js';
import { parseStoreAddress, storeRef } from '../../core/store/store-url.js';

const PASS_HELP = `The passphrase is asked for on the terminal, or taken from ${PASSPHRASE_ENV}; never from an argument.`;

/** Progress on stderr, one updating line, only on a terminal. */
function progress(io: CliIo): ((p: Progress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
    process.stderr.write(`\r${pct}% (${p.done}/${p.total} ${p.unit})${p.done >= p.total ? '\n' : ''}`);
    void io;
  };
}

export const backupCommand: Command = {
  usage: `sessiondeck backup <path | store…> -o <file.tar.age> [--force]

  <path…>        session files or folders (folders are walked), a store URL (every session in
                 it) or <store URL>#<session id>: each store session is archived as a file of its
                 library's format (Telethon or mtcute SQLite), the store noted in the manifest
  -o FILE        the archive to write (age-encrypted tar: \`age -d FILE | tar x\` restores by hand)
  --force        replace an existing archive
${PASS_HELP}`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { out: { type: 'string', short: 'o' }, force: { type: 'boolean' } });
    const out = str(values, 'out');
    if (!out) throw new SessionError('usage', '-o <file.tar.age> is required');
    if (positionals.length === 0) throw new SessionError('usage', 'give at least one file or folder to back up');
    const passphrase = await getPassphrase({ confirm: true });
    // The labels the app keeps for the logins backed up travel in the manifest.
    // (a path that is not there is createBackup's to report, in its words)
    const keys = (await scanRoots(positionals.map((p) => resolve(p)).filter((p) => existsSync(p)))).map((p) => p.entry.authKeyId);
    const labels = await withLabels((store) => store.forKeys(keys));
    const r = await createBackup(positionals, out, passphrase, { overwrite: flag(values, 'force'), labels, onProgress: progress(io), openStore: cliStoreOpener, appVersion: APP_VERSION });
    const files = r.manifest.sessions.reduce((n, s) => n + archivedFiles(s).length, 0);
    io.out(`${r.file}: ${r.manifest.sessions.length} session(s), ${files} file(s), ${r.bytes} bytes encrypted`);
    return 0;
  },
};

export const verifyCommand: Command = {
  usage: `sessiondeck verify <file.tar.age>\n\n${PASS_HELP}`,
  async run(argv, io) {
    const { positionals } = parse(argv, {});
    const file = one(positionals, 'archive');
    const r = await verify(file, await getPassphrase({ confirm: false }), { onProgress: progress(io) });
    if (!r.ok) throw new SessionError('malformed', r.problem?.message ?? 'the archive does not verify');
    io.out(`${file}: OK, ${r.manifest?.sessions.length ?? 0} session(s), ${r.files} file(s) verified`);
    return 0;
  },
};

const CONFLICTS: ConflictMode[] = ['skip', 'keep-both', 'overwrite'];

export const restoreCommand: Command = {
  usage: `sessiondeck restore <file.tar.age> -d <dir> [--on-conflict skip|keep-both|overwrite] [--dry-run]
       sessiondeck restore <file.tar.age> --into <store URL> [--to <layout>] [--force]

  -d DIR         where to restore (created if missing)
  --into URL     into a store instead: each session under its session id (its file name when it
                 came from files), converted to the store's layout, one transaction each; an id
                 that exists is skipped unless --force; --to names the layout for a database
                 without one (telethon-alchemy, mtcute-postgres, telethon-redis)
  --on-conflict  an existing file with different content is skipped (default), kept beside
                 the restored one, or overwritten after being moved aside
  --dry-run      show what would be written where, write nothing
${PASS_HELP}`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      dir: { type: 'string', short: 'd' },
      'on-conflict': { type: 'string' },
      'dry-run': { type: 'boolean' },
      into: { type: 'string' },
      to: { type: 'string' },
      force: { type: 'boolean' },
    });
    const file = one(positionals, 'archive');
    const into = str(values, 'into');
    if (into !== undefined) return restoreInto(file, into, values, io);
    const dir = str(values, 'dir');
    if (!dir) throw new SessionError('usage', '-d <dir> is required');
    const mode = (str(values, 'on-conflict') ?? 'skip') as ConflictMode;
    if (!CONFLICTS.includes(mode)) throw new SessionError('usage', `--on-conflict must be one of ${CONFLICTS.join(', ')}`);
    const passphrase = await getPassphrase({ confirm: false });
    const opts = { onConflict: mode, onProgress: progress(io) };
    const dry = flag(values, 'dry-run');
    const r = dry ? await planRestore(file, passphrase, dir, opts) : await restore(file, passphrase, dir, opts);
    const labels = r.manifest.labels ?? [];
    if (!dry && labels.length > 0) await withLabels((store) => store.mergeAll(labels));
    for (const item of r.items) {
      const aside = item.movedAside ? ` (old one kept as ${item.movedAside})` : '';
      io.out(`${item.action.padEnd(9)} ${item.target}${aside}${item.sidecar ? `, sidecar ${item.sidecar}` : ''}`);
    }
    if (labels.length > 0) io.out(`labels    ${labels.length} login(s) ${dry ? 'would get their' : 'got their'} labels and notes back`);
    return 0;
  },
};

async function restoreInto(file: string, into: string, values: Parameters<typeof flag>[0], io: CliIo): Promise<number> {
  const to = str(values, 'to');
  const create = to === undefined || targetFormat(to).medium !== 'store' ? undefined : (to as StoreFormatId);
  if (to !== undefined && create === undefined) throw new SessionError('usage', `--to ${to} is not a store layout (telethon-alchemy, mtcute-postgres, telethon-redis)`);
  const r = await restoreIntoStore(file, await getPassphrase({ confirm: false }), into, { replace: flag(values, 'force'), open: cliStoreOpener, create, onProgress: progress(io) });
  const shown = parseStoreAddress(into).display;
  for (const w of r.written) io.out(`written   ${storeRef(shown, w.id)} (from ${w.session})`);
  for (const k of r.skipped) io.out(`skipped   ${storeRef(shown, k.id)} (from ${k.session}): ${k.why}`);
  return r.skipped.length === 0 ? 0 : 1;
}

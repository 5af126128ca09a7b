/**
 * Restoring a backup into a shared store: the archive is restored, fully checked, into a
 * private temporary folder, then each session is read from its file and written into the
 * store under its session id (the one it had in a store, else its file name), converted to
 * the store's layout, one transaction each. An id that exists is skipped unless `replace`; a
 * session that cannot be written is reported and the others go on. The folder is removed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { prepareConversion } from '../convert/convert.js';
import { describeError, SessionError } from '../errors.js';
import { readInput } from '../formats/detect.js';
import { withStore, type StoreOpener } from '../store/session-refs.js';
import type { StoreFormatId } from '../store/session-store.js';
import type { JobOptions } from './job.js';
import { restore } from './restore.js';

export interface StoreRestoreResult {
  written: { session: string; id: string }[];
  skipped: { session: string; id: string; why: string }[];
}

export async function restoreIntoStore(
  file: string,
  passphrase: string,
  store: string,
  opts: JobOptions & { replace?: boolean; open?: StoreOpener; create?: StoreFormatId } = {},
): Promise<StoreRestoreResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sessiondeck-store-restore-'));
  try {
    const { manifest, items } = await restore(file, passphrase, dir, { onConflict: 'keep-both', signal: opts.signal, onProgress: opts.onProgress });
    const result: StoreRestoreResult = { written: [], skipped: [] };
    await withStore(store, { write: true, create: opts.create }, async (s) => {
      for (const item of items) {
        const m = manifest.sessions.find((x) => x.name === item.session);
        const id = m?.store?.id ?? basename(item.session, extname(item.session));
        try {
          if (item.kind !== 'file') throw new SessionError('unsupported', 'a folder session (tdata, GramJS store) is restored into files, not a store');
          const read = readInput(item.target);
          const c = prepareConversion(read.session, read.format, s.format);
          await s.save(id, c.session, { replace: opts.replace });
          result.written.push({ session: item.session, id });
        } catch (e) {
          result.skipped.push({ session: item.session, id, why: describeError(e) });
        }
      }
    }, opts.open);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

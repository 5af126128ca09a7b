/**
 * Backing up sessions of a shared store: each is read from the store (read-only) and written,
 * in its own library's file format (a Telethon or mtcute SQLite file), into a private
 * temporary folder; the backup then takes those files like any other, the store, its layout
 * and the session id noted in the manifest. The folder is removed when the backup is done.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loginKeyOf } from '../accounts/login-key.js';
import { writeOutput } from '../convert/write-output.js';
import { formatById } from '../formats/registry.js';
import { FILE_FORMAT_OF_STORE } from '../formats/store-formats.js';
import { prepareConversion } from '../convert/convert.js';
import { storeRefOf, withStore, type StoreOpener } from '../store/session-refs.js';
import type { BackupSource } from './source.js';

/** A session id as a file name: what a file system may not hold becomes `_`. */
const fileNameOf = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';

export async function takeOutOfStores(
  sources: readonly BackupSource[],
  open?: StoreOpener,
): Promise<{ sources: BackupSource[]; cleanup(): Promise<void> }> {
  let dir: string | undefined;
  const out: BackupSource[] = [];
  try {
    for (const src of sources) {
      const ref = storeRefOf(typeof src === 'string' ? src : src.path);
      if (!ref) {
        out.push(src);
        continue;
      }
      dir ??= await mkdtemp(join(tmpdir(), 'sessiondeck-store-backup-'));
      const into = dir;
      await withStore(ref.store, {}, async (store) => {
        const ids = ref.id === undefined ? await store.listIds() : [ref.id];
        const target = formatById(FILE_FORMAT_OF_STORE[store.format])!;
        for (const id of ids) {
          const read = await store.load(id);
          const c = prepareConversion(read.session, read.format, target.id);
          const path = join(into, `${out.length}.session`);
          writeOutput(target, c.session, path);
          out.push({
            path,
            name: `${fileNameOf(id)}.session`,
            format: target.id,
            userId: c.session.user?.id ?? null,
            authKeyId: loginKeyOf(c.session),
            store: { location: store.location, format: store.format, layout: store.layout, id },
          });
        }
      }, open);
    }
  } catch (e) {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { sources: out, cleanup: async () => void (dir !== undefined && (await rm(dir, { recursive: true, force: true }))) };
}

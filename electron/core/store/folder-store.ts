/**
 * FolderStore: one file per session in a folder, `<id>.session.json` (the lossless model JSON),
 * each written through BinaryFileBackend, so every save holds that file's lock and replaces it
 * atomically. Ids are validated so a file name can never leave the folder.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BinaryFileBackend, type FileCodec } from '../backends/binary-file.js';
import { ioError } from '../fs/atomic.js';
import { withFileLock } from '../fs/file-lock.js';
import type { Session } from '../model/session.js';
import { sessionFromJson, sessionToJson } from '../model/session-json.js';
import { BaseSessionStore, checkSessionId } from './session-store.js';

const SUFFIX = '.session.json';

const jsonCodec: FileCodec = {
  encode: (s) => new TextEncoder().encode(sessionToJson(s)),
  decode: (b) => sessionFromJson(new TextDecoder().decode(b)),
};

export class FolderStore extends BaseSessionStore {
  constructor(readonly dir: string) {
    super();
  }

  private backend(id: string): BinaryFileBackend {
    return new BinaryFileBackend(join(this.dir, checkSessionId(id) + SUFFIX), { codec: jsonCodec });
  }

  async save(id: string, session: Session): Promise<void> {
    const b = this.backend(id);
    await fs.mkdir(this.dir, { recursive: true }).catch((e: unknown) => {
      throw ioError(e, this.dir);
    });
    await b.save(session);
  }

  async load(id: string): Promise<Session | undefined> {
    return this.backend(id).load();
  }

  async listIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return [];
      throw ioError(e, this.dir);
    }
    return names
      .filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.'))
      .map((n) => n.slice(0, -SUFFIX.length))
      .sort();
  }

  async delete(id: string): Promise<boolean> {
    const path = this.backend(id).path;
    return withFileLock(path, async () => {
      try {
        await fs.unlink(path);
        return true;
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return false;
        throw ioError(e, path);
      }
    });
  }
}

/**
 * BinaryFileBackend ("binary-file"): one ferogram v8 file. Saves are atomic (temp + fsync +
 * rename + folder fsync) and serialized across processes by `<file>.lock`; read-modify-write
 * operations hold the lock throughout so concurrent writers never lose each other's changes.
 * Unlike ferogram, a file that fails to load is REPORTED and never renamed or deleted.
 */
import { promises as fs } from 'node:fs';
import { SessionError } from '../errors.js';
import { decodeFerogramBinary, encodeFerogramBinary } from '../formats/ferogram-binary.js';
import { ioError, writeFileAtomicAsync } from '../fs/atomic.js';
import { withFileLock, type LockOptions } from '../fs/file-lock.js';
import type { Session } from '../model/session.js';
import { emptySession } from '../model/session.js';
import { BaseBackend } from './backend.js';

/** How a session becomes file bytes and back; ferogram's v8 binary unless told otherwise. */
export interface FileCodec {
  encode(session: Session): Uint8Array;
  decode(bytes: Uint8Array): Session;
}

export const ferogramFileCodec: FileCodec = {
  encode: encodeFerogramBinary,
  decode: (bytes) => decodeFerogramBinary(bytes).session,
};

export interface BinaryFileOptions extends LockOptions {
  codec?: FileCodec;
}

export class BinaryFileBackend extends BaseBackend {
  readonly name = 'binary-file';
  private readonly codec: FileCodec;

  constructor(
    readonly path: string,
    private readonly opts: BinaryFileOptions = {},
  ) {
    super();
    this.codec = opts.codec ?? ferogramFileCodec;
  }

  async save(session: Session): Promise<void> {
    // Encode before locking: a session that cannot be written fails without touching anything.
    const bytes = this.codec.encode(session);
    await withFileLock(this.path, () => writeFileAtomicAsync(this.path, bytes), this.opts);
  }

  /** Readers need no lock: the file is only ever replaced whole by rename. */
  async load(): Promise<Session | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(this.path);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw ioError(e, this.path);
    }
    try {
      return this.codec.decode(bytes);
    } catch (e) {
      if (e instanceof SessionError) throw new SessionError(e.code, `${this.path}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  async delete(): Promise<void> {
    await withFileLock(this.path, () => fs.rm(this.path, { force: true }), this.opts);
  }

  protected override async mutate(change: (s: Session) => void): Promise<void> {
    await withFileLock(
      this.path,
      async () => {
        const s = (await this.load()) ?? emptySession();
        change(s);
        await writeFileAtomicAsync(this.path, this.codec.encode(s));
      },
      this.opts,
    );
  }
}

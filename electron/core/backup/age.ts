/**
 * age passphrase (scrypt) encryption of the tar stream, compatible with `age -d`. Decryption
 * failures become one-line SessionErrors: wrong passphrase, damaged header, damaged payload.
 */
import { Decrypter, Encrypter } from 'age-encryption';
import { open } from 'node:fs/promises';
import { SessionError } from '../errors.js';
import { ioError } from '../fs/atomic.js';
import { checkAborted } from './job.js';

/** age's own default: about a second of scrypt on a laptop. */
export const DEFAULT_WORK_FACTOR = 18;
const AGE_MAGIC = 'age-encryption.org/v1\n';
const CHUNK = 64 * 1024;
/** A passphrase header is about 150 bytes; its last line is the MAC. */
const HEAD_PEEK = 4096;
const HEADER_END = /\n--- [A-Za-z0-9+/]{43}\n/;

export async function encryptStream(
  plain: ReadableStream<Uint8Array>,
  passphrase: string,
  workFactor = DEFAULT_WORK_FACTOR,
): Promise<ReadableStream<Uint8Array>> {
  if (passphrase.length === 0) throw new SessionError('usage', 'the backup passphrase is empty');
  const e = new Encrypter();
  e.setPassphrase(passphrase);
  e.setScryptWorkFactor(workFactor);
  return e.encrypt(plain);
}

export interface DecryptOptions {
  signal?: AbortSignal;
  /** Called with the number of encrypted bytes read so far, and the file size. */
  onBytes?: (done: number, total: number) => void;
}

/**
 * The plaintext of an age file, streamed. Iteration throws a SessionError when a chunk fails
 * authentication, so a consumer must read to the end before trusting anything it saw.
 */
export async function decryptFile(file: string, passphrase: string, opts: DecryptOptions = {}): Promise<AsyncIterable<Uint8Array>> {
  const fh = await open(file, 'r').catch((e: unknown) => {
    throw ioError(e, file);
  });
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await fh.close();
    }
  };
  try {
    const total = (await fh.stat()).size;
    const peek = Buffer.alloc(HEAD_PEEK);
    const { bytesRead } = await fh.read(peek, 0, peek.length, 0);
    const head = peek.subarray(0, bytesRead).toString('latin1');
    checkHeaderKind(file, head);
    let done = 0;
    const cipher = new ReadableStream<Uint8Array>({
      async pull(controller) {
        checkAborted(opts.signal);
        const buf = new Uint8Array(CHUNK);
        const { bytesRead: n } = await fh.read(buf, 0, CHUNK, done);
        if (n === 0) {
          await close();
          controller.close();
          return;
        }
        done += n;
        opts.onBytes?.(done, total);
        controller.enqueue(buf.subarray(0, n));
      },
      async cancel() {
        await close();
      },
    });
    const d = new Decrypter();
    d.addPassphrase(passphrase);
    let plain: ReadableStream<Uint8Array>;
    try {
      plain = await d.decrypt(cipher);
    } catch (e) {
      throw headerError(e, file, HEADER_END.test(head));
    }
    return mapErrors(plain, file, close);
  } catch (e) {
    await close();
    throw e;
  }
}

function checkHeaderKind(file: string, head: string): void {
  if (head.startsWith('-----BEGIN AGE ENCRYPTED FILE-----')) {
    throw new SessionError('unsupported', `${file}: ASCII-armored age files are not supported; run age -d first`);
  }
  if (!head.startsWith(AGE_MAGIC)) throw new SessionError('malformed', `${file}: not an age-encrypted backup`);
  const stanza = head.slice(AGE_MAGIC.length);
  if (stanza.length >= 10 && !stanza.startsWith('-> scrypt ')) {
    throw new SessionError('unsupported', `${file}: encrypted to an age key, not with a passphrase`);
  }
}

function headerError(e: unknown, file: string, headerComplete: boolean): SessionError {
  if (e instanceof SessionError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (msg.includes('no identity matched')) {
    return new SessionError('bad-passphrase', `${file}: wrong passphrase (or the archive header is damaged)`);
  }
  if (!headerComplete || msg.includes('stream ended')) {
    return new SessionError('truncated', `${file}: the archive is cut off inside its header`);
  }
  return new SessionError('malformed', `${file}: the age header is damaged (${msg})`);
}

async function* mapErrors(
  plain: ReadableStream<Uint8Array>,
  file: string,
  close: () => Promise<void>,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of plain) yield chunk;
  } catch (e) {
    if (e instanceof SessionError) throw e;
    throw new SessionError('malformed', `${file}: the archive is damaged, cut off or was modified (age authentication failed)`, {
      cause: e,
    });
  } finally {
    await close();
  }
}

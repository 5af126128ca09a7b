/**
 * An account's MTP config (`<file part>/configs`, storage_account.cpp readMtpConfig): one
 * encrypted block holding a QByteArray, MTP::Config::serialize, which starts with int32
 * version (1) and int32 environment (0 production, 1 test). Only the environment is read: it
 * is where Desktop keeps test mode (the auth keys carry bare DC ids). Desktop falls back to
 * the production config when the file is missing or does not parse, and so does this reader.
 */
import { ByteReader } from '../../bytes.js';
import { SessionError } from '../../errors.js';
import { readQBytes } from './qt-stream.js';

const CONFIG_VERSION = 1;

/** 'test' / 'production' from the decrypted config, or undefined when Desktop would not take it. */
export function configEnvironment(plain: Uint8Array): 'test' | 'production' | undefined {
  try {
    const serialized = readQBytes(new ByteReader(plain, 'MTP config'), 'config');
    const r = new ByteReader(serialized, 'MTP config');
    if (r.i32('config version', false) !== CONFIG_VERSION) return undefined;
    const env = r.i32('environment', false);
    return env === 1 ? 'test' : env === 0 ? 'production' : undefined;
  } catch (e) {
    if (e instanceof SessionError) return undefined;
    throw e;
  }
}

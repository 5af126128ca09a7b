import { createHash } from 'node:crypto';
import { toHex } from '../bytes.js';

/** MTProto auth_key_id as shown to users: lower-case hex of the last 8 bytes of SHA-1(key). */
export function authKeyId(key: Uint8Array | undefined): string | null {
  if (!key) return null;
  const digest = createHash('sha1').update(key).digest();
  return toHex(digest.subarray(12, 20));
}

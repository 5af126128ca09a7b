/**
 * Telegram Desktop's local encryption (storage_file_utilities.cpp): the passcode key, and the
 * encrypted blocks every tdata file but the container itself holds.
 *
 * A block is msgKey (16) ‖ AES-256-IGE(plaintext), where the plaintext is its own length
 * (uint32, little-endian: Desktop writes it with a memcpy) ‖ data ‖ random padding to 16 bytes,
 * msgKey is the first 16 bytes of SHA-1 of the whole plaintext, and the AES key and IV come
 * from the 256-byte local key and msgKey by MTProto v1's derivation with x = 8 (Desktop's
 * aesEncryptLocal/aesDecryptLocal pass `send = false`).
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { SessionError } from '../../errors.js';

export const LOCAL_KEY_SIZE = 256;
export const SALT_SIZE = 32;
/** PBKDF2 rounds with a passcode (kStrongIterationsCount); without one Desktop uses 1. */
export const PASSCODE_ITERATIONS = 100_000;

const BLOCK = 16;

const sha1 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * The key that encrypts the local key: PBKDF2-HMAC-SHA512 of SHA-512(salt ‖ passcode ‖ salt)
 * with the salt, 1 round without a passcode (the empty passcode) and 100,000 with one,
 * 256 bytes. The passcode is UTF-8, as Desktop's QString::toUtf8.
 */
export function passcodeKey(passcode: string, salt: Uint8Array): Uint8Array {
  const pass = Buffer.from(passcode, 'utf8');
  const hash = createHash('sha512').update(salt).update(pass).update(salt).digest();
  return new Uint8Array(pbkdf2Sync(hash, salt, pass.length === 0 ? 1 : PASSCODE_ITERATIONS, LOCAL_KEY_SIZE, 'sha512'));
}

/** MTProto v1 ("old mtp") AES key and IV from an auth key and a msg key, x = 8 as Desktop's local encryption uses. */
export function oldMtpAesKeyIv(authKey: Uint8Array, msgKey: Uint8Array): { key: Buffer; iv: Buffer } {
  const x = 8;
  const a = sha1(msgKey, authKey.subarray(x, x + 32));
  const b = sha1(authKey.subarray(32 + x, 48 + x), msgKey, authKey.subarray(48 + x, 64 + x));
  const c = sha1(authKey.subarray(64 + x, 96 + x), msgKey);
  const d = sha1(msgKey, authKey.subarray(96 + x, 128 + x));
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 20), c.subarray(4, 16)]),
    iv: Buffer.concat([a.subarray(8, 20), b.subarray(0, 8), c.subarray(16, 20), d.subarray(0, 8)]),
  };
}

/**
 * AES-256-IGE (iv = previous ciphertext block ‖ previous plaintext block, as MTProto lays it
 * out). node:crypto has no IGE mode, so it is built here block by block on aes-256-ecb without
 * padding: c_i = E(p_i ⊕ c_{i-1}) ⊕ p_{i-1}, and p_i = D(c_i ⊕ p_{i-1}) ⊕ c_{i-1} back.
 */
export function aesIge(data: Uint8Array, key: Uint8Array, iv: Uint8Array, encrypt: boolean): Uint8Array {
  if (data.length % BLOCK !== 0) throw new SessionError('malformed', `AES-IGE input of ${data.length} bytes is not whole blocks`);
  const cipher = encrypt ? createCipheriv('aes-256-ecb', key, null) : createDecipheriv('aes-256-ecb', key, null);
  cipher.setAutoPadding(false);
  const out = new Uint8Array(data.length);
  // The previous output block (XORed into the cipher's input) and the previous input block
  // (XORed into its output), as an array and an offset: no views are made per block.
  let po: Uint8Array = iv;
  let poAt = encrypt ? 0 : BLOCK;
  let pi: Uint8Array = iv;
  let piAt = encrypt ? BLOCK : 0;
  const x = Buffer.alloc(BLOCK);
  for (let at = 0; at < data.length; at += BLOCK) {
    for (let i = 0; i < BLOCK; i++) x[i] = data[at + i]! ^ po[poAt + i]!;
    const y = cipher.update(x);
    for (let i = 0; i < BLOCK; i++) out[at + i] = y[i]! ^ pi[piAt + i]!;
    po = out;
    poAt = at;
    pi = data;
    piAt = at;
  }
  cipher.final();
  return out;
}

/**
 * data as one of Desktop's encrypted blocks under `key` (PrepareEncrypted): the random padding
 * comes from `random` (node:crypto's by default; tests pass their own).
 */
export function encryptLocal(data: Uint8Array, key: Uint8Array, random: (n: number) => Uint8Array = randomBytes): Uint8Array {
  const size = data.length + 4;
  const full = (size + BLOCK - 1) & ~(BLOCK - 1);
  const plain = new Uint8Array(full);
  new DataView(plain.buffer).setUint32(0, size, true);
  plain.set(data, 4);
  if (full > size) plain.set(random(full - size), size);
  const msgKey = sha1(plain).subarray(0, 16);
  const { key: aesKey, iv } = oldMtpAesKeyIv(key, msgKey);
  const out = new Uint8Array(16 + full);
  out.set(msgKey, 0);
  out.set(aesIge(plain, aesKey, iv, true), 16);
  return out;
}

/**
 * The data of an encrypted block (after its length field), or undefined when `key` does not
 * decrypt it (the SHA-1 check fails: a wrong key, or damaged bytes). A block of a wrong size,
 * or whose length field does not fit it, is 'malformed' (`what` names it).
 */
export function decryptLocal(encrypted: Uint8Array, key: Uint8Array, what: string): Uint8Array | undefined {
  if (encrypted.length <= 16 || encrypted.length % BLOCK !== 0) {
    throw new SessionError('malformed', `${what}: an encrypted block of ${encrypted.length} bytes (not 16 + whole AES blocks)`);
  }
  const msgKey = encrypted.subarray(0, 16);
  const { key: aesKey, iv } = oldMtpAesKeyIv(key, msgKey);
  const plain = aesIge(encrypted.subarray(16), aesKey, iv, false);
  if (!sha1(plain).subarray(0, 16).equals(msgKey)) return undefined;
  const full = plain.length;
  const len = new DataView(plain.buffer, plain.byteOffset, 4).getUint32(0, true);
  // Desktop's own bounds (DecryptLocal): at most the block, and within its last 16 bytes.
  if (len > full || len <= full - 16 || len < 4) {
    throw new SessionError('malformed', `${what}: decrypted length ${len} does not fit its ${full}-byte block`);
  }
  return plain.subarray(4, len);
}

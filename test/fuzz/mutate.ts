/**
 * Byte-level mutators for fuzzing, driven by a seeded PRNG so any failing case can be
 * replayed from its seed: bit flips, byte overwrites with edge values, truncation, insertion,
 * duplication, splicing with another input, and plain random bytes.
 */

export type Rng = () => number;

/** mulberry32: small, fast, good enough to drive mutations. */
export function rngFrom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

const EDGE_BYTES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x7f, 0x80, 0xfe, 0xff];

export function randomBytes(rng: Rng, max: number): Uint8Array {
  const out = new Uint8Array(int(rng, max + 1));
  for (let i = 0; i < out.length; i++) out[i] = int(rng, 256);
  return out;
}

type Mutator = (b: Uint8Array, rng: Rng, other: Uint8Array) => Uint8Array;

const MUTATORS: readonly Mutator[] = [
  // bit flips
  (b, rng) => {
    const out = b.slice();
    for (let k = 1 + int(rng, 4); k > 0 && out.length > 0; k--) out[int(rng, out.length)]! ^= 1 << int(rng, 8);
    return out;
  },
  // overwrite with an edge value (lengths, counts, flags live in single bytes)
  (b, rng) => {
    const out = b.slice();
    if (out.length > 0) out[int(rng, out.length)] = pick(rng, EDGE_BYTES);
    return out;
  },
  // truncation
  (b, rng) => b.slice(0, int(rng, b.length + 1)),
  // insertion of random bytes
  (b, rng) => {
    const at = int(rng, b.length + 1);
    return concat(b.subarray(0, at), randomBytes(rng, 16), b.subarray(at));
  },
  // deletion of a run
  (b, rng) => {
    const at = int(rng, b.length + 1);
    return concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(rng, 16))));
  },
  // duplication of a run (repeated records, doubled counts)
  (b, rng) => {
    const at = int(rng, b.length + 1);
    const run = b.subarray(at, at + 1 + int(rng, 32));
    return concat(b.subarray(0, at), run, run, b.subarray(at + run.length));
  },
  // splice: head of this input, tail of another
  (b, rng, other) => concat(b.subarray(0, int(rng, b.length + 1)), other.subarray(int(rng, other.length + 1))),
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One to three stacked mutations of `b`; sometimes plain random bytes instead. */
export function mutate(b: Uint8Array, rng: Rng, other: Uint8Array): Uint8Array {
  if (rng() < 0.05) return randomBytes(rng, Math.max(8, b.length));
  let out = b;
  for (let k = 1 + int(rng, 3); k > 0; k--) out = pick(rng, MUTATORS)(out, rng, other);
  return out;
}

/** Page-aware corruption for SQLite files: overwrite a run inside one random page. */
export function corruptPage(b: Uint8Array, rng: Rng): Uint8Array {
  const pageSize = b.length >= 18 ? ((b[16]! << 8) | b[17]!) || 65536 : 4096;
  const pages = Math.max(1, Math.floor(b.length / pageSize));
  const start = int(rng, pages) * pageSize;
  const out = b.slice();
  for (let k = 1 + int(rng, 8); k > 0; k--) {
    const at = start + int(rng, pageSize);
    if (at < out.length) out[at] = rng() < 0.5 ? pick(rng, EDGE_BYTES) : int(rng, 256);
  }
  return out;
}

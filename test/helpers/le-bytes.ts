/**
 * Byte-by-byte builders for hand-made test vectors, independent of the codecs under test
 * (plain DataView, no ByteWriter), so a layout bug in a codec cannot hide in the fixture.
 */
function fixed(n: number, set: (v: DataView) => void): number[] {
  const v = new DataView(new ArrayBuffer(n));
  set(v);
  return [...new Uint8Array(v.buffer)];
}

export const u8 = (x: number): number[] => [x & 0xff];
export const u16le = (x: number): number[] => fixed(2, (v) => v.setUint16(0, x, true));
export const u16be = (x: number): number[] => fixed(2, (v) => v.setUint16(0, x, false));
export const i32le = (x: number): number[] => fixed(4, (v) => v.setInt32(0, x, true));
export const u32be = (x: number): number[] => fixed(4, (v) => v.setUint32(0, x, false));
export const i64le = (x: bigint): number[] => fixed(8, (v) => v.setBigInt64(0, x, true));
export const i64be = (x: bigint): number[] => fixed(8, (v) => v.setBigInt64(0, x, false));
export const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];
/** u8 length + bytes, as ferogram writes strings. */
export const str8 = (s: string): number[] => [s.length, ...ascii(s)];

export function bytes(...parts: number[][]): Uint8Array {
  return new Uint8Array(parts.flat());
}

/** A recognisable 256-byte auth key. */
export function testKey(seed = 1): Uint8Array {
  return new Uint8Array(256).map((_, i) => (i * 7 + seed * 13) & 0xff);
}

/** MTKruto's rleEncode / rleDecode (utilities/0_rle.ts), written out as the tests' oracle: independent of our codec. */
export function mtkrutoRleEncode(s: Uint8Array): Uint8Array {
  const r: number[] = [];
  let n = 0;
  for (const b of s) {
    if (!b) {
      if (n === 255) {
        r.push(0, n);
        n = 1;
      } else n++;
    } else {
      if (n) {
        r.push(0, n);
        n = 0;
      }
      r.push(b);
    }
  }
  if (n) r.push(0, n);
  return new Uint8Array(r);
}

export function mtkrutoRleDecode(s: Uint8Array): Uint8Array {
  const r: number[] = [];
  let z = false;
  for (const b of s) {
    if (!b) {
      z = true;
      continue;
    }
    if (z) {
      for (let i = 0; i < b; i++) r.push(0);
      z = false;
    } else r.push(b);
  }
  return new Uint8Array(r);
}

import { isIPv6 } from 'node:net';

/** "0".."255": string decoders print an IPv4 per call, without number formatting. */
const OCTET = Array.from({ length: 256 }, (_, i) => String(i));

/** 4 or 16 packed bytes → canonical text (IPv6 compressed, lower-case). */
export function ipBytesToText(b: Uint8Array): string {
  if (b.length === 4) return `${OCTET[b[0]!]}.${OCTET[b[1]!]}.${OCTET[b[2]!]}.${OCTET[b[3]!]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  return compressIpv6(groups);
}

/** RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::". */
function compressIpv6(groups: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((v) => v.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

const DOT = 46;
const ZERO = 48;

/**
 * Dotted-quad IPv4 exactly as node:net's isIPv4 accepts it (decimal 0–255, no leading zeros),
 * parsed in one pass: every string encoder calls this.
 */
function ipv4Bytes(text: string): Uint8Array | undefined {
  if (text.length < 7 || text.length > 15) return undefined;
  const out = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? DOT : text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || part > 3) return undefined;
      out[part++] = value;
      digits = 0;
      value = 0;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9 || (digits === 1 && value === 0)) return undefined;
    value = value * 10 + d;
    if (++digits > 3 || value > 255) return undefined;
  }
  return part === 4 ? out : undefined;
}

/** Text → packed bytes, or undefined when it is not an IP literal (e.g. a host name). */
export function ipTextToBytes(text: string): Uint8Array | undefined {
  const v4 = ipv4Bytes(text);
  if (v4 || !isIPv6(text)) return v4;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t];
  if (groups.length !== 8 || groups.some((g) => g.includes('.'))) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

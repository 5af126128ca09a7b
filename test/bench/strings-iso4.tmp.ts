import { parseTelethonSession } from '@mtcute/convert';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { decodeBase64Digits, viewOf } from '../../electron/core/bytes.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { ipBytesToText } from '../../electron/core/model/ip.js';
import { timed } from './measure.js';
import { sampleSession } from './sample-session.js';
function loop<T>(pool: readonly T[], n: number, fn: (x: T) => unknown): number {
  for (const x of pool) fn(x);
  return timed(() => { for (let i = 0; i < n; i++) fn(pool[i % pool.length]!); }).ms;
}
const bases = Array.from({ length: 1000 }, (_, i) => sampleSession(i));
const f = FORMATS.find((x) => x.id === 'telethon-string') as StringFormat;
const sessions = bases.map((s) => prepareConversion(s, 'ferogram', f.id).session);
const texts = sessions.map((s) => f.encode(s));
const variants: Record<string, (t: string) => unknown> = {
  mtcute: parseTelethonSession,
  ours: (t) => f.decode(t),
  digits: (t) => decodeBase64Digits(t.slice(1, -1), 'base64url'),
  digitsKey: (t) => { const b = decodeBase64Digits(t.slice(1, -1), 'base64url')!; return viewOf(b, 7, 263); },
  digitsIp: (t) => { const b = decodeBase64Digits(t.slice(1, -1), 'base64url')!; return ipBytesToText(b.subarray(1, 5)); },
  model: () => { const s = emptySession(); s.dcs = [makeDc({ id: 2, address: 'x', port: 443, ipv6: false })]; return { format: 'x', formatVersion: '1', session: s, warnings: [] }; },
  modelLit: () => ({ homeDc: 2, dcs: [{ id: 2, address: 'x', port: 443, ipv6: false, mediaOnly: false, cdn: false, tcpoOnly: false, static: false, salt: 0n, timeOffset: 0 }], updates: { pts: 0, qts: 0, date: 0, seq: 0, channels: new Map() }, peers: [], minPeers: [] }),
  modelNoMap: () => ({ homeDc: 2, dcs: [{ id: 2, address: 'x', port: 443, ipv6: false, mediaOnly: false, cdn: false, tcpoOnly: false, static: false, salt: 0n, timeOffset: 0 }], updates: { pts: 0, qts: 0, date: 0, seq: 0, channels: null }, peers: [], minPeers: [] }),
};
for (const name of process.argv.slice(2)) console.log(name.padEnd(12), loop(texts, 100000, variants[name]!).toFixed(0));

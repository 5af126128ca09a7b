import { parseTelethonSession, parseGramjsSession, parsePyrogramSession } from '@mtcute/convert';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { timed } from './measure.js';
import { sampleSession } from './sample-session.js';
function loop<T>(pool: readonly T[], n: number, fn: (x: T) => unknown): number {
  for (const x of pool) fn(x);
  return timed(() => { for (let i = 0; i < n; i++) fn(pool[i % pool.length]!); }).ms;
}
const rivals: Record<string, (t: string) => unknown> = { 'telethon-string': parseTelethonSession, 'gramjs-string': parseGramjsSession, 'pyrogram-string': parsePyrogramSession };
const bases = Array.from({ length: 1000 }, (_, i) => sampleSession(i));
const ids = process.argv.slice(2);
for (const f of FORMATS.filter((x): x is StringFormat => x.medium === 'string' && (ids.length === 0 || ids.includes(x.id)))) {
  const sessions = bases.map((s) => prepareConversion(s, 'ferogram', f.id).session);
  const texts = sessions.map((s) => f.encode(s));
  const r0 = rivals[f.id];
  const rd0 = process.env.RIVAL_FIRST && r0 ? loop(texts, 100000, r0) : 0;
  console.error('=== decode', f.id);
  const d = loop(texts, 100000, (t) => f.decode(t));
  console.error('=== encode', f.id);
  const e = loop(sessions, 100000, (s) => f.encode(s));
  const r = rivals[f.id];
  console.error('=== rival', f.id);
  const rd = r ? loop(texts, 100000, r) : 0;
  console.log(f.id, 'ours', d.toFixed(0), 'enc', e.toFixed(0), 'rival', rd.toFixed(0), 'rival-first', rd0.toFixed(0));
}

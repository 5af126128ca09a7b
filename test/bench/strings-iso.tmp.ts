import { parseTelethonSession } from '@mtcute/convert';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { timed } from './measure.js';
import { sampleSession } from './sample-session.js';
function loop<T>(pool: readonly T[], n: number, fn: (x: T) => unknown): number {
  for (const x of pool) fn(x);
  return timed(() => { for (let i = 0; i < n; i++) fn(pool[i % pool.length]!); }).ms;
}
const bases = Array.from({ length: 1000 }, (_, i) => sampleSession(i));
const ids = process.argv.slice(2);
for (const f of FORMATS.filter((x): x is StringFormat => x.medium === 'string' && ids.includes(x.id))) {
  const sessions = bases.map((s) => prepareConversion(s, 'ferogram', f.id).session);
  const texts = sessions.map((s) => f.encode(s));
  const d = loop(texts, 100000, (t) => f.decode(t));
  const e = loop(sessions, 100000, (s) => f.encode(s));
  console.log(f.id, d.toFixed(0), e.toFixed(0));
  if (f.id === 'telethon-string') console.log('mtcute', loop(texts, 100000, (t) => parseTelethonSession(t)).toFixed(0));
}

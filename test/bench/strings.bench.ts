/**
 * Bench scenario: decode and encode n strings of every string format, against GramJS
 * (StringSession) and mtcute (@mtcute/convert, and @mtcute/core for its own format) on the
 * formats they read. A pool of 1,000 distinct sessions is cycled through.
 */
import { parseGramjsSession, parsePyrogramSession, parseTelethonSession, serializeGramjsSession, serializePyrogramSession, serializeTelethonSession } from '@mtcute/convert';
import { readStringSession, writeStringSession } from '@mtcute/core/utils.js';
import { StringSession } from 'telegram/sessions/index.js';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { figure, timed, type Figure } from './measure.js';
import { sampleSession } from './sample-session.js';

const POOL = 1000;

interface Rival {
  name: string;
  decode(text: string): unknown;
  /** What `encode` serializes, when decode's result is not enough (GramJS loads the key first). */
  prepare?(text: string): Promise<unknown>;
  encode(parsed: unknown): string;
}

/** Each rival parses into its own object and serializes that object back. */
const RIVALS: Partial<Record<string, Rival[]>> = {
  'telethon-string': [
    { name: 'mtcute', decode: parseTelethonSession, encode: (p) => serializeTelethonSession(p as ReturnType<typeof parseTelethonSession>) },
  ],
  'gramjs-string': [
    {
      name: 'GramJS',
      decode: (t) => new StringSession(t),
      prepare: async (t) => {
        const s = new StringSession(t);
        await s.load();
        return s;
      },
      encode: (p) => (p as StringSession).save(),
    },
    { name: 'mtcute', decode: parseGramjsSession, encode: (p) => serializeGramjsSession(p as ReturnType<typeof parseGramjsSession>) },
  ],
  'pyrogram-string': [
    { name: 'mtcute', decode: parsePyrogramSession, encode: (p) => serializePyrogramSession(p as ReturnType<typeof parsePyrogramSession>) },
  ],
  'mtcute-string': [
    { name: 'mtcute', decode: (t) => readStringSession(t), encode: (p) => writeStringSession(p as ReturnType<typeof readStringSession>) },
  ],
};

/** Milliseconds for n calls cycling through the pool (after one warm-up pass). */
function loop<T>(pool: readonly T[], n: number, fn: (x: T) => unknown): number {
  for (const x of pool) fn(x);
  return timed(() => {
    for (let i = 0; i < n; i++) fn(pool[i % pool.length]!);
  }).ms;
}

export async function benchStrings(n: number): Promise<Figure[]> {
  const out: Figure[] = [];
  const scenario = `strings (${n.toLocaleString('en')} each)`;
  const bases = Array.from({ length: POOL }, (_, i) => sampleSession(i));
  for (const f of FORMATS.filter((x): x is StringFormat => x.medium === 'string')) {
    const sessions = bases.map((s) => prepareConversion(s, 'ferogram', f.id).session);
    const texts = sessions.map((s) => f.encode(s));
    const decode = loop(texts, n, (t) => f.decode(t));
    const encode = loop(sessions, n, (s) => f.encode(s));
    const rivals: { name: string; decode: number; encode: number }[] = [];
    for (const r of RIVALS[f.id] ?? []) {
      const parsed = r.prepare ? await Promise.all(texts.map((t) => r.prepare!(t))) : texts.map((t) => r.decode(t));
      if (r.encode(parsed[0]) !== texts[0]) throw new Error(`${r.name} does not write back the ${f.id} string it read`);
      rivals.push({ name: r.name, decode: loop(texts, n, (t) => r.decode(t)), encode: loop(parsed, n, (p) => r.encode(p)) });
    }
    for (const op of ['decode', 'encode'] as const) {
      const ours = op === 'decode' ? decode : encode;
      const best = rivals.reduce<{ name: string; ms: number } | undefined>(
        (b, r) => (b === undefined || r[op] < b.ms ? { name: r.name, ms: r[op] } : b),
        undefined,
      );
      out.push(
        best
          ? figure(scenario, `${f.id} ${op}`, ours, { what: `fastest rival: ${best.name}`, ms: best.ms }, { text: '≤ 1× fastest of GramJS/mtcute', holds: ours <= best.ms })
          : figure(scenario, `${f.id} ${op} (no rival reads it)`, ours),
      );
    }
  }
  return out;
}

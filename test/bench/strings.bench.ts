/**
 * Bench scenario: decode and encode n strings of every string format, against GramJS
 * (StringSession) and mtcute (@mtcute/convert, and @mtcute/core for its own format) on the
 * formats they read. A pool of 1,000 distinct sessions is cycled through; see race() for how
 * the sides are timed.
 */
import { parseGramjsSession, parsePyrogramSession, parseTelethonSession, serializeGramjsSession, serializePyrogramSession, serializeTelethonSession } from '@mtcute/convert';
import { readStringSession, writeStringSession } from '@mtcute/core/utils.js';
import { StringSession } from 'telegram/sessions/index.js';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import type { Session } from '../../electron/core/model/session.js';
import { figure, middle, settleHeap, timed, type Figure } from './measure.js';
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

/** Rounds each side's n calls are split into; sides alternate round by round. */
const ROUNDS = 20;
/** Whole passes of n calls per side; the figure is the median pass. */
const PASSES = 7;

/**
 * Milliseconds for n calls of each function, cycling through its pool. Every function first
 * makes one untimed pass over its pool. Then each of PASSES passes runs the n calls in
 * ROUNDS rounds, the functions taking turns (in a rotating order) within each round, so that
 * none pays alone for the setup's garbage, a collection the others caused, or a burst of load
 * on the machine. The heap is settled before the warm-up and before each pass: building the pools starts V8's incremental
 * marking, and objects allocated while it runs count as survivors, so a warm-up that overlaps it
 * can get a side's allocation sites pretenured (every object it makes then goes to the old
 * generation and drags its young children along: two to three times slower, at random). A pass's figure is the sum of its rounds, so every collection a side's
 * garbage causes is counted; the result is each side's median pass.
 */
function race(n: number, sides: readonly { pool: readonly unknown[]; fn: (x: unknown) => unknown }[]): number[] {
  settleHeap();
  for (const { pool, fn } of sides) for (const x of pool) fn(x);
  const per = Math.ceil(n / ROUNDS);
  const passes: number[][] = sides.map(() => []);
  for (let p = 0; p < PASSES; p++) {
    settleHeap();
    const sums = sides.map(() => 0);
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < sides.length; k++) {
        const i = (k + r + p) % sides.length;
        const { pool, fn } = sides[i]!;
        sums[i]! += timed(() => {
          for (let j = 0; j < per; j++) fn(pool[j % pool.length]);
        }).ms;
      }
    }
    sums.forEach((ms, i) => passes[i]!.push(ms));
  }
  return passes.map(middle);
}

export async function benchStrings(n: number): Promise<Figure[]> {
  const out: Figure[] = [];
  const scenario = `strings (${n.toLocaleString('en')} each)`;
  const bases = Array.from({ length: POOL }, (_, i) => sampleSession(i));
  for (const f of FORMATS.filter((x): x is StringFormat => x.medium === 'string')) {
    const sessions = bases.map((s) => prepareConversion(s, 'ferogram', f.id).session);
    const texts = sessions.map((s) => f.encode(s));
    const rivals = RIVALS[f.id] ?? [];
    const parsed: unknown[][] = [];
    for (const r of rivals) {
      const p = r.prepare ? await Promise.all(texts.map((t) => r.prepare!(t))) : texts.map((t) => r.decode(t));
      if (r.encode(p[0]) !== texts[0]) throw new Error(`${r.name} does not write back the ${f.id} string it read`);
      parsed.push(p);
    }
    const decode = race(n, [
      { pool: texts, fn: (t) => f.decode(t as string) },
      ...rivals.map((r) => ({ pool: texts, fn: (t: unknown) => r.decode(t as string) })),
    ]);
    const encode = race(n, [
      { pool: sessions, fn: (s) => f.encode(s as Session) },
      ...rivals.map((r, i) => ({ pool: parsed[i]!, fn: (p: unknown) => r.encode(p) })),
    ]);
    for (const [op, times] of [['decode', decode], ['encode', encode]] as const) {
      const ours = times[0]!;
      const best = rivals.reduce<{ name: string; ms: number } | undefined>(
        (b, r, i) => (b === undefined || times[i + 1]! < b.ms ? { name: r.name, ms: times[i + 1]! } : b),
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

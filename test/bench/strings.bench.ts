/**
 * Bench scenario: decode and encode n strings of every string format, against GramJS and
 * mtcute on the formats they read (see codec-sides.ts). A pool of 1,000 distinct sessions is
 * cycled through. Each side runs in a worker thread of its own (codec-worker.ts), so every
 * side pays for exactly its own garbage and collections; the sides take turns pass by pass
 * (in a rotating order, the others idle meanwhile), and each figure is a side's median pass.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import type { Session } from '../../electron/core/model/session.js';
import { OURS, rivalsOf, type Op } from './codec-sides.js';
import { figure, middle, type Figure } from './measure.js';
import { sampleSession } from './sample-session.js';

const POOL = 1000;
const PASSES = 7;
const RUN_TS = new URL('../../bin/run-ts.mjs', import.meta.url);
const WORKER = fileURLToPath(new URL('./codec-worker.ts', import.meta.url));

/** A side's worker, ready for passes. */
interface SideWorker {
  name: string;
  pass(op: Op, n: number): Promise<number>;
  close(): Promise<number>;
}

function startSide(format: string, name: string, texts: string[], sessions: Session[]): Promise<SideWorker> {
  const w = new Worker(RUN_TS, { argv: [WORKER], workerData: { format, side: name, texts, sessions } });
  let pending: { resolve: (v: never) => void; reject: (e: Error) => void } | undefined;
  const next = <T>() => new Promise<T>((resolve, reject) => (pending = { resolve: resolve as (v: never) => void, reject }));
  w.on('message', (m: unknown) => pending?.resolve(m as never));
  w.on('error', (e) => pending?.reject(new Error(`${name} on ${format}: ${e.message}`)));
  const side: SideWorker = {
    name,
    pass: (op, n) => {
      const answer = next<number>();
      w.postMessage({ op, n });
      return answer;
    },
    close: () => w.terminate(),
  };
  return next<'ready'>().then(() => side);
}

export async function benchStrings(n: number): Promise<Figure[]> {
  const out: Figure[] = [];
  const scenario = `strings (${n.toLocaleString('en')} each)`;
  const bases = Array.from({ length: POOL }, (_, i) => sampleSession(i));
  for (const f of FORMATS.filter((x): x is StringFormat => x.medium === 'string')) {
    const sessions = bases.map((s) => prepareConversion(s, 'ferogram', f.id).session);
    const texts = sessions.map((s) => f.encode(s));
    const sides = await Promise.all([OURS, ...rivalsOf(f.id)].map((name) => startSide(f.id, name, texts, sessions)));
    try {
      for (const op of ['decode', 'encode'] as const) {
        const passes: number[][] = sides.map(() => []);
        for (let p = 0; p < PASSES; p++) {
          for (let k = 0; k < sides.length; k++) {
            const i = (k + p) % sides.length;
            passes[i]!.push(await sides[i]!.pass(op, n));
          }
        }
        const [ours, ...rivals] = passes.map(middle);
        const best = rivals.reduce<{ name: string; ms: number } | undefined>(
          (b, ms, i) => (b === undefined || ms < b.ms ? { name: sides[i + 1]!.name, ms } : b),
          undefined,
        );
        out.push(
          best
            ? figure(scenario, `${f.id} ${op}`, ours!, { what: `fastest rival: ${best.name}`, ms: best.ms }, { text: '≤ 1× fastest of GramJS/mtcute', holds: ours! <= best.ms })
            : figure(scenario, `${f.id} ${op} (no rival reads it)`, ours!),
        );
      }
    } finally {
      await Promise.all(sides.map((s) => s.close()));
    }
  }
  return out;
}

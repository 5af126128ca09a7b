/**
 * One side of the string-codec race in a worker thread of its own, so that the garbage it
 * makes, the collections that garbage causes and the allocation sites V8 pretenures are its
 * own. Asked for a pass ({ op, n }), it answers the milliseconds of n calls cycling through
 * its pool; the first pass of each op is preceded by an untimed one over the pool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Session } from '../../electron/core/model/session.js';
import { buildSide, type Op } from './codec-sides.js';
import { settleHeap, timed } from './measure.js';

const { format, side, texts, sessions } = workerData as { format: string; side: string; texts: string[]; sessions: Session[] };
const run = await buildSide(format, side, texts, sessions);
const warmed = new Set<Op>();
const port = parentPort!;
port.on('message', ({ op, n }: { op: Op; n: number }) => {
  const fn = run[op];
  const pool = texts.length;
  // Nothing left to mark from building the pool or the last pass (see settleHeap), before
  // the warm-up as well as before the figure.
  settleHeap();
  if (!warmed.has(op)) {
    for (let i = 0; i < pool; i++) fn(i);
    warmed.add(op);
    settleHeap();
  }
  port.postMessage(timed(() => {
    for (let i = 0; i < n; i++) fn(i % pool);
  }).ms);
});
port.postMessage('ready');

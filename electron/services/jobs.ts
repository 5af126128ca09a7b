/** Long work (scans, batch jobs): an id, progress events, cancel by request. */
import { randomUUID } from 'node:crypto';
import type { JobEvent } from '../../shared/contract.js';
import { describeError } from '../core/errors.js';

export type Progress = (done: number, total: number, message?: string) => void;

export class Jobs {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly emit: (e: JobEvent) => void) {}

  start(label: string, work: (signal: AbortSignal, progress: Progress) => Promise<void>): { jobId: string; done: Promise<void> } {
    const jobId = randomUUID();
    const ctl = new AbortController();
    this.running.set(jobId, ctl);
    const send = (state: JobEvent['state'], done: number, total: number, message: string | null) =>
      this.emit({ jobId, label, state, done, total, message });
    let last = { done: 0, total: 0 };
    send('running', 0, 0, null);
    const done = work(ctl.signal, (d, t, m) => {
      last = { done: d, total: t };
      send('running', d, t, m ?? null);
    })
      .then(() => send(ctl.signal.aborted ? 'cancelled' : 'done', last.done, last.total, null))
      .catch((e: unknown) => send('failed', last.done, last.total, describeError(e)))
      .finally(() => this.running.delete(jobId));
    return { jobId, done };
  }

  cancel(jobId: string): boolean {
    const ctl = this.running.get(jobId);
    ctl?.abort();
    return ctl !== undefined;
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}

/**
 * Long work (scans, backups, batch conversions): an id, progress events, cancel by request.
 * `run` is for work whose caller waits for a result (the UI picks the id first, so it can show
 * progress and cancel before the reply arrives); `start` is fire-and-forget.
 */
import { randomUUID } from 'node:crypto';
import type { JobEvent } from '../../shared/contract.js';
import { describeError, SessionError } from '../core/errors.js';

export type Progress = (done: number, total: number, message?: string) => void;
export type Work<T> = (signal: AbortSignal, progress: Progress) => Promise<T>;

export class Jobs {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly emit: (e: JobEvent) => void) {}

  /** Runs the work under `jobId`; events go out as it progresses; the result or error comes back. */
  run<T>(label: string, work: Work<T>, jobId: string = randomUUID()): Promise<T> {
    if (this.running.has(jobId)) return Promise.reject(new SessionError('usage', 'a job with this id is already running'));
    const ctl = new AbortController();
    this.running.set(jobId, ctl);
    const send = (state: JobEvent['state'], done: number, total: number, message: string | null) =>
      this.emit({ jobId, label, state, done, total, message });
    let last = { done: 0, total: 0, message: null as string | null };
    send('running', 0, 0, null);
    return work(ctl.signal, (d, t, m) => {
      last = { done: d, total: t, message: m ?? null };
      send('running', d, t, last.message);
    })
      .then(
        (result) => {
          send(ctl.signal.aborted ? 'cancelled' : 'done', last.done, last.total, last.message);
          return result;
        },
        (e: unknown) => {
          send(ctl.signal.aborted ? 'cancelled' : 'failed', last.done, last.total, describeError(e));
          throw e;
        },
      )
      .finally(() => this.running.delete(jobId));
  }

  start(label: string, work: Work<void>): { jobId: string; done: Promise<void> } {
    const jobId = randomUUID();
    return { jobId, done: this.run(label, work, jobId).catch(() => undefined) };
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

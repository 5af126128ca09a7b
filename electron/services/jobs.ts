/**
 * Long work (scans, backups, batch conversions): an id, progress events, cancel by request.
 * `run` is for work whose caller waits for a result (the UI picks the id first, so it can show
 * progress and cancel before the reply arrives); `start` is fire-and-forget.
 */
import { randomUUID } from 'node:crypto';
import type { JobEvent } from '../../shared/contract.js';
import { describeError, SessionError } from '../core/errors.js';

export type Progress = (done: number, total: number, message?: string) => void;

/** Progress goes out at most this often: a 10,000-file scan is a few dozen events, not 10,000 re-renders. */
export const PROGRESS_INTERVAL_MS = 100;
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
    let sentAt = 0;
    let trailing: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      clearTimeout(trailing);
      trailing = undefined;
      sentAt = Date.now();
      send('running', last.done, last.total, last.message);
    };
    flush();
    const end = (state: JobEvent['state'], message: string | null) => {
      clearTimeout(trailing);
      send(state, last.done, last.total, message);
    };
    return work(ctl.signal, (d, t, m) => {
      last = { done: d, total: t, message: m ?? null };
      // The latest figures go out now, or once the interval since the last event has passed.
      const wait = sentAt + PROGRESS_INTERVAL_MS - Date.now();
      if (wait <= 0) flush();
      else trailing ??= setTimeout(flush, wait);
    })
      .then(
        (result) => {
          end(ctl.signal.aborted ? 'cancelled' : 'done', last.message);
          return result;
        },
        (e: unknown) => {
          end(ctl.signal.aborted ? 'cancelled' : 'failed', describeError(e));
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

/**
 * Long calls from a dialog (backup, verify, restore, batch convert): the dialog picks the job
 * id, follows that job's events while the call runs, and can cancel it.
 */
import { useCallback, useRef, useState } from 'react';
import type { JobEvent } from '../../../shared/contract.js';
import { api, ApiError, newJobId, onEvent } from '../api.js';

export interface JobRunner {
  /** The latest event of the running (or last) job. */
  job: JobEvent | null;
  running: boolean;
  /** Runs `call` under a fresh job id; resolves to its result, or null when the user cancelled. */
  run<T>(call: (jobId: string) => Promise<T>): Promise<T | null>;
  cancel(): void;
}

export function useJobRunner(): JobRunner {
  const [job, setJob] = useState<JobEvent | null>(null);
  const [running, setRunning] = useState(false);
  const current = useRef<string | null>(null);

  const run = useCallback(async <T,>(call: (jobId: string) => Promise<T>): Promise<T | null> => {
    const jobId = newJobId();
    current.current = jobId;
    setJob(null);
    setRunning(true);
    const off = onEvent('job', (e) => {
      if (e.jobId === jobId) setJob(e);
    });
    // The reply may overtake the job's last event (two channels): the outcome settles the state.
    const settle = (state: JobEvent['state']) =>
      setJob((j) => ({ jobId, label: j?.label ?? '', done: state === 'done' ? (j?.total ?? 0) : (j?.done ?? 0), total: j?.total ?? 0, state, message: j?.message ?? null }));
    try {
      const result = await call(jobId);
      settle('done');
      return result;
    } catch (e) {
      const cancelled = e instanceof ApiError && e.code === 'cancelled';
      settle(cancelled ? 'cancelled' : 'failed');
      if (cancelled) return null;
      throw e;
    } finally {
      off();
      current.current = null;
      setRunning(false);
    }
  }, []);

  const cancel = useCallback(() => {
    const jobId = current.current;
    if (jobId) void api['job.cancel']({ jobId }).catch(() => undefined);
  }, []);

  return { job, running, run, cancel };
}

/** A progress bar with the job's own words and a Cancel button while it runs. */
export function JobProgress({ runner, idle }: { runner: JobRunner; idle?: string }) {
  const { job, running } = runner;
  if (!running && !job) return idle ? <div className="faint small">{idle}</div> : null;
  const state = running ? 'running' : (job?.state ?? 'done');
  const pct = state === 'done' ? 100 : job && job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
  return (
    <div className={`job-progress ${state}`} data-testid="job-progress" data-state={state}>
      <div className="job-progress-top">
        <strong>{job?.label ?? 'Starting…'}</strong>
        <span className="faint small">{job?.message ?? (job && job.total > 0 ? `${job.done} of ${job.total}` : '')}</span>
        <span className="spacer" />
        {running && (
          <button className="btn sm" onClick={runner.cancel} data-testid="job-cancel">
            Cancel
          </button>
        )}
        {!running && state === 'cancelled' && <span className="badge warn">cancelled</span>}
        {!running && state === 'failed' && <span className="badge danger">failed</span>}
        {!running && state === 'done' && <span className="badge ok">done</span>}
      </div>
      <div className="progress wide" {...progressbar(job?.label ?? 'Starting', running && (!job || job.total === 0) ? undefined : pct)}>
        <div className={running && (!job || job.total === 0) ? 'indeterminate' : ''} style={{ width: `${running && (!job || job.total === 0) ? 30 : pct}%` }} />
      </div>
    </div>
  );
}

/** A progress bar as assistive technology reads it: named, 0–100, without a value while its size is unknown. */
export function progressbar(label: string, percent: number | undefined) {
  return { role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent } as const;
}

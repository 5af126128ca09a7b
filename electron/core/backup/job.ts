/** Progress and cancellation shared by backup, verify and restore. */
import { SessionError } from '../errors.js';

export interface Progress {
  done: number;
  total: number;
  /** Backups count files; verify and restore count bytes of the encrypted archive read. */
  unit: 'files' | 'bytes';
}

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SessionError('cancelled', 'cancelled');
}

/**
 * A dialog's one action: busy while it runs (a second click waits for it), and its failure as
 * the dialog's one-line error with the core's code, cleared when it runs again. The code picks a
 * remedy (remedies.ts): a failure that may pass offers `retry` (the same call again), a wrong
 * secret focuses the field given as `secret`. The dialogs call this rather than each keeping
 * its own busy flag, error line and try/catch.
 */
import { useRef, useState, type RefObject } from 'react';
import { failureOf, remedyOf, type Failure } from '../remedies.js';

export function useAction(opts: { secret?: RefObject<HTMLInputElement | null> } = {}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const last = useRef<(() => Promise<void>) | null>(null);
  const run = async (action: () => Promise<void>): Promise<void> => {
    if (busy) return;
    last.current = action;
    setBusy(true);
    setFailure(null);
    try {
      await action();
    } catch (e) {
      const f = failureOf(e);
      setFailure(f);
      if (remedyOf(f.code)?.retype) {
        opts.secret?.current?.focus();
        opts.secret?.current?.select();
      }
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    failure,
    /** A problem the dialog found itself (no code, no remedy). */
    setError: (message: string | null) => setFailure(message === null ? null : { message, code: null }),
    run,
    /** Runs the last action again (the Retry of a `locked` or `unreachable` failure). */
    retry: () => (last.current ? run(last.current) : Promise.resolve()),
  };
}

/**
 * A dialog's one action: busy while it runs (a second click waits for it), and its failure as
 * the dialog's one-line error, cleared when it runs again. The dialogs call this rather than
 * each keeping its own busy flag, error line and try/catch.
 */
import { useState } from 'react';

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    setError,
    async run(action: () => Promise<void>): Promise<void> {
      if (busy) return;
      setBusy(true);
      setError(null);
      try {
        await action();
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setBusy(false);
      }
    },
  };
}

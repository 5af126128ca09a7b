/**
 * Copy of a session string: in Electron the main process copies (and clears later); in the
 * web mode the browser's clipboard does, under the same rule (shared/clipboard-guard.ts).
 */
import { ClipboardGuard } from '../../shared/clipboard-guard.js';
import { api } from './api.js';

let guard: ClipboardGuard | undefined;

function browserGuard(): ClipboardGuard {
  if (!guard) {
    guard = new ClipboardGuard({ readText: () => navigator.clipboard.readText(), writeText: (t) => navigator.clipboard.writeText(t) });
    // Best effort on leaving the page; the browser may not allow clipboard access then.
    window.addEventListener('pagehide', () => void guard?.clearIfOurs());
  }
  return guard;
}

export async function copySecret(handle: string): Promise<number> {
  const r = await api['export.copy']({ handle });
  if (r.via === 'renderer' && r.text !== null) await browserGuard().copy(r.text, r.clearAfterSeconds);
  return r.clearAfterSeconds;
}

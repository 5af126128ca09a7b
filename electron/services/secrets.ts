/**
 * Exported session strings wait here, in the main process, behind an opaque handle: the UI
 * holds the handle and a masked preview; the text leaves only on Reveal, Copy or Save.
 * Handles expire so a forgotten export does not linger in memory.
 */
import { randomBytes } from 'node:crypto';
import { SessionError } from '../core/errors.js';

const TTL_MS = 15 * 60_000;
const MAX = 16;

export class SecretVault {
  private readonly items = new Map<string, { text: string; expires: number }>();

  put(text: string, now = Date.now()): string {
    this.sweep(now);
    const handle = randomBytes(16).toString('hex');
    this.items.set(handle, { text, expires: now + TTL_MS });
    // Oldest first out when the user exports many strings in a row.
    while (this.items.size > MAX) this.items.delete(this.items.keys().next().value!);
    return handle;
  }

  get(handle: string, now = Date.now()): string {
    this.sweep(now);
    const item = this.items.get(handle);
    if (!item) throw new SessionError('not-found', 'this export has expired; export it again');
    return item.text;
  }

  discard(handle: string): void {
    this.items.delete(handle);
  }

  clear(): void {
    this.items.clear();
  }

  private sweep(now: number): void {
    for (const [h, item] of this.items) if (item.expires <= now) this.items.delete(h);
  }
}

/** What the UI may show of a secret: its first and last few characters. */
export function maskSecret(text: string): string {
  if (text.length <= 16) return '•'.repeat(text.length);
  return `${text.slice(0, 6)}${'•'.repeat(12)}${text.slice(-4)}`;
}

/**
 * Telegram ends sessions unused longer than the account's authorization TTL (six months by
 * default). We cannot ask Telegram, so the last sign of use is the update-state date, or the
 * file's modified time when the format keeps no date: older than the TTL → "likely expired".
 */
const DAY_MS = 86_400_000;

export function lastUse(lastActivitySec: number, mtimeMs: number): number {
  return Math.max(lastActivitySec * 1000, mtimeMs);
}

export function isLikelyExpired(lastActivitySec: number, mtimeMs: number, ttlDays: number, nowMs = Date.now()): boolean {
  // No sign at all (a store's session without an update date has no file time): unknown, not expired.
  if (lastActivitySec === 0 && mtimeMs === 0) return false;
  return nowMs - lastUse(lastActivitySec, mtimeMs) > ttlDays * DAY_MS;
}

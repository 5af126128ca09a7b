import { describe, expect, it } from 'vitest';
import { ClipboardGuard, type Timers } from '../../shared/clipboard-guard.js';

function fakes() {
  const board = { text: 'before' };
  const clipboard = { readText: () => board.text, writeText: (t: string) => void (board.text = t) };
  const pending: { fn: () => void; ms: number; live: boolean }[] = [];
  const timers: Timers = {
    set: (fn, ms) => {
      const t = { fn, ms, live: true };
      pending.push(t);
      return t;
    },
    clear: (h) => void ((h as { live: boolean }).live = false),
  };
  const fire = async () => {
    for (const t of pending.filter((p) => p.live)) {
      t.live = false;
      t.fn();
    }
    await new Promise((r) => setTimeout(r, 0));
  };
  return { board, guard: new ClipboardGuard(clipboard, timers), pending, fire };
}

describe('clipboard clearing', () => {
  it('copies, then clears after the delay when the clipboard still holds our text', async () => {
    const { board, guard, pending, fire } = fakes();
    await guard.copy('SECRET', 30);
    expect(board.text).toBe('SECRET');
    expect(pending[0]!.ms).toBe(30_000);
    await fire();
    expect(board.text).toBe('');
    expect(guard.pending).toBe(false);
  });

  it('leaves the clipboard alone when the user copied something else since', async () => {
    const { board, guard, fire } = fakes();
    await guard.copy('SECRET', 30);
    board.text = 'a shopping list';
    await fire();
    expect(board.text).toBe('a shopping list');
  });

  it('clears on quit, and a second copy restarts the timer', async () => {
    const { board, guard, pending } = fakes();
    await guard.copy('ONE', 30);
    await guard.copy('TWO', 10);
    expect(pending.filter((p) => p.live).map((p) => p.ms)).toEqual([10_000]);
    expect(await guard.clearIfOurs()).toBe(true);
    expect(board.text).toBe('');
    expect(await guard.clearIfOurs()).toBe(false);
  });
});

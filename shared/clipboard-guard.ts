/**
 * The clipboard rule for copied session strings, shared by the main process (Electron's
 * clipboard) and the web mode (the browser's): clear after N seconds, and on quit, but only
 * when the clipboard still holds our text, so whatever the user copied since is left alone.
 */
export interface ClipboardLike {
  readText(): string | Promise<string>;
  writeText(text: string): void | Promise<void>;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class ClipboardGuard {
  private ours: string | null = null;
  private timer: unknown = null;

  constructor(
    private readonly clipboard: ClipboardLike,
    private readonly timers: Timers = realTimers,
  ) {}

  async copy(text: string, clearAfterSeconds: number): Promise<void> {
    await this.clipboard.writeText(text);
    this.ours = text;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => void this.clearIfOurs(), clearAfterSeconds * 1000);
  }

  /** Clears the clipboard if it still holds what we put there; true when it did. */
  async clearIfOurs(): Promise<boolean> {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    const ours = this.ours;
    this.ours = null;
    if (ours === null) return false;
    let current: string;
    try {
      current = await this.clipboard.readText();
    } catch {
      return false;
    }
    if (current !== ours) return false;
    await this.clipboard.writeText('');
    return true;
  }

  get pending(): boolean {
    return this.ours !== null;
  }
}

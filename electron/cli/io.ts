/** Where a command writes and reads: the terminal in the CLI, buffers in tests. Kept apart from args.ts so starting the CLI loads no format. */
import { readFileSync } from 'node:fs';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads all of standard input (for `-` in place of a session string). */
  stdin(): string;
}

export function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

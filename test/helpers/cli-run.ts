/** Runs the CLI in-process as a test sees it: its exit code and what it printed, with stdin and environment given. */
import { main } from '../../electron/cli/main.js';
import type { CliIo } from '../../electron/cli/io.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: () => opts.stdin ?? '' };
  const saved = { ...process.env };
  Object.assign(process.env, opts.env ?? {});
  try {
    return { code: await main(args, io), out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.env = saved;
  }
}

/**
 * `sessiondeck`: one command per job over the same core the app uses. Errors end with exit
 * status 1 and one line on stderr, never a stack trace.
 */
import { describeError } from '../core/errors.js';
import { readStdin, type CliIo, type Command } from './args.js';
import { backupCommand, restoreCommand, verifyCommand } from './commands/backup.js';
import { convertCommand } from './commands/convert.js';
import { exportCommand } from './commands/export.js';
import { formatsCommand } from './commands/formats.js';
import { importCommand } from './commands/import.js';
import { inspectCommand } from './commands/inspect.js';
import { labelCommand } from './commands/label.js';
import { listCommand } from './commands/list.js';
import { serveCommand } from './commands/serve.js';

export const COMMANDS: Command[] = [inspectCommand, listCommand, labelCommand, convertCommand, exportCommand, importCommand, backupCommand, restoreCommand, verifyCommand, formatsCommand, serveCommand];

const stdio: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  stdin: readStdin,
};

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Session Deck: inspect, list, label, convert, export, import and back up Telegram session files, offline.',
    '',
    'usage: sessiondeck <command> [options]   (sessiondeck <command> --help for more)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 1 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`sessiondeck: unknown command "${name}" (try --help)`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    io.err(`sessiondeck ${cmd.name}: ${describeError(e)}`);
    return 1;
  }
}

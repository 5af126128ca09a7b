/**
 * `sessiondeck`: one command per job over the same core the app uses. Errors end with exit
 * status 1 and one line on stderr, never a stack trace.
 */
import { describeError } from '../core/errors.js';
import { readStdin, type CliIo } from './io.js';
import { COMMANDS } from './commands/index.js';

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
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`sessiondeck: unknown command "${name}" (try --help)`);
    return 1;
  }
  const cmd = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    io.err(`sessiondeck ${entry.name}: ${describeError(e)}`);
    return 1;
  }
}

import { prepareConversion } from '../../core/convert/convert.js';
import { writeOutput } from '../../core/convert/write-output.js';
import { readString } from '../../core/formats/detect.js';
import { flag, formatOption, givenFields, inputArg, one, type Command } from '../args.js';
import { GIVEN_USAGE, parseTargetAndOutput, reportLines } from './convert.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'write a session string into a session file of any format',
  usage: `sessiondeck import <string | -> --to <format> -o <output> [options]

  <string>       the session string, or - to read it from stdin (keeps it out of the process list)
  --to F         target format
  --from F       read the string as format F when it fits more than one
  --force        overwrite an existing output
${GIVEN_USAGE}`,
  run(argv, io) {
    const { values, positionals, target, out } = parseTargetAndOutput(argv);
    const read = readString(inputArg(one(positionals, 'session string'), io), { from: formatOption(values, 'from') });
    const c = prepareConversion(read.session, read.format, target.id, givenFields(values));
    writeOutput(target, c.session, out, { legacy: flag(values, 'v1') || flag(values, 'legacy'), force: flag(values, 'force') });
    io.out(`${out}: ${read.format} → ${target.id}`);
    for (const line of reportLines(c)) io.out(`  ${line}`);
    return 0;
  },
};

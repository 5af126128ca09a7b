import { inputArg, one, type Command } from '../args.js';
import { convertOne, convertOptions, GIVEN_USAGE, parseTargetAndOutput, SIDECAR_USAGE } from './convert.js';

export const importCommand: Command = {
  usage: `sessiondeck import <string | file | -> --to <format> -o <output> [options]

  <string>       the session string, or - to read it from stdin (keeps it out of the process list),
                 or a text file holding it (its .json sidecar is copied beside the output)
  --to F         target format
  --from F       read the string as format F when it fits more than one
  --force        overwrite an existing output
${SIDECAR_USAGE}
${GIVEN_USAGE}`,
  async run(argv, io) {
    const { values, positionals, target, out } = parseTargetAndOutput(argv);
    await convertOne(inputArg(one(positionals, 'session string'), io), target, out, convertOptions(values), io);
    return 0;
  },
};

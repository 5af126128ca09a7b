import { readInput } from '../../core/formats/detect.js';
import { summarize } from '../../core/inspect/summary.js';
import { flag, formatOption, inputArg, one, parse, type Command } from '../args.js';
import { renderJson, renderSummary } from '../render.js';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show the detected format and what a session holds (never its keys)',
  usage: `sessiondeck inspect <file | folder | string | -> [--json] [--peers] [--from <format>]

  <input>        a session file or folder, a session string, or - to read the string from stdin
  --json         print the summary as JSON (ids, hashes and salts as decimal strings)
  --peers        include the peer cache
  --from F       read the input as format F when it fits more than one`,
  run(argv, io) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      peers: { type: 'boolean' },
      from: { type: 'string' },
    });
    const result = readInput(inputArg(one(positionals, 'input'), io), { from: formatOption(values, 'from') });
    const summary = summarize(result, { peers: flag(values, 'peers') });
    io.out(flag(values, 'json') ? renderJson(summary) : renderSummary(summary));
    return 0;
  },
};

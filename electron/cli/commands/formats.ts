import { FORMATS } from '../../core/formats/registry.js';
import { parse, type Command } from '../args.js';

export const formatsCommand: Command = {
  usage: 'sessiondeck formats',
  run(argv, io) {
    parse(argv, {});
    for (const f of FORMATS) io.out(`${f.id.padEnd(18)} ${f.medium.padEnd(7)} ${f.label} — ${f.library}`);
    return 0;
  },
};

import { SessionError } from '../../core/errors.js';
import { prepareConversion, targetFormat } from '../../core/convert/convert.js';
import { encodeToString } from '../../core/convert/write-output.js';
import { accountOption, flag, formatOption, givenFields, inputArg, one, parse, str, type Command } from '../args.js';
import { readCliInput, sidecarOfInput } from '../stores.js';
import { CONVERT_OPTIONS, GIVEN_USAGE, reportLines, TDATA_USAGE } from './convert.js';

export const exportCommand: Command = {
  usage: `sessiondeck export <input> --to <string-format> [options]

  <input>        a session file or folder, a string, or a session in a store: <store URL>#<session id>
  --to F         ferogram-string, ferogram-compact, telethon-string, pyrogram-string,
                 gramjs-string, mtcute-string or mtkruto-string
  --v1, --legacy ferogram-compact V1 / pyrogram old 64-bit layout / mtkruto DC and key only
  --from F       read the input as format F when it fits more than one
${TDATA_USAGE}
${GIVEN_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, CONVERT_OPTIONS);
    const to = str(values, 'to');
    if (!to) throw new SessionError('usage', '--to <string-format> is required');
    const target = targetFormat(to);
    if (target.medium !== 'string') throw new SessionError('usage', `${to} is not a string format; use convert`);
    const input = inputArg(one(positionals, 'input'), io);
    const opts = { from: formatOption(values, 'from'), account: accountOption(values) };
    const read = await readCliInput(input, opts);
    // A sidecar may supply what the string needs (Pyrogram's user id).
    const sidecar = sidecarOfInput(input);
    const c = prepareConversion(read.session, read.format, target.id, givenFields(values), sidecar);
    const text = encodeToString(target, c.session, { legacy: flag(values, 'v1') || flag(values, 'legacy') });
    for (const line of reportLines(c)) io.err(line);
    io.out(text);
    return 0;
  },
};

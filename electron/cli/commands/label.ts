import { loginKeyOf } from '../../core/accounts/login-key.js';
import { SessionError } from '../../core/errors.js';
import { readInput } from '../../core/formats/detect.js';
import { withLabels } from '../app-data.js';
import { accountOption, flag, inputArg, one, parse, str, type Command } from '../args.js';
import { withPasscode } from '../passphrase.js';

export const labelCommand: Command = {
  usage: `sessiondeck label <session> [--add L]… [--remove L]… [--note TEXT | --clear-note] [--account N]

  labels and the note are kept in the app's database by the session's home-DC auth key
  fingerprint: they follow it through renames, copies and conversions, in the app and in
  \`sessiondeck list\`. With no option, prints them.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      add: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      note: { type: 'string' },
      'clear-note': { type: 'boolean' },
      account: { type: 'string' },
    });
    const note = str(values, 'note');
    if (note !== undefined && flag(values, 'clear-note')) throw new SessionError('usage', '--note and --clear-note contradict each other');
    const input = inputArg(one(positionals, 'session'), io);
    const account = accountOption(values);
    const key = loginKeyOf((await withPasscode((passcode) => readInput(input, { skipPeers: true, account, passcode }))).session);
    if (key === null) throw new SessionError('missing-field', 'this session holds no auth key for its home DC, so there is no login to label');
    const list = (k: string) => (values[k] as string[] | undefined) ?? [];
    const r = await withLabels((store) => store.change(key, { add: list('add'), remove: list('remove'), note: flag(values, 'clear-note') ? null : note }));
    io.out(`labels  ${r.labels.length > 0 ? r.labels.join(', ') : '(none)'}`);
    io.out(`note    ${r.note ?? '(none)'}`);
    io.out(`login   ${key}`);
    return 0;
  },
};

import { accountPart, selfPeerOf } from '../../core/accounts/session-account.js';
import { inputKind, readInput } from '../../core/formats/detect.js';
import { loadSidecar } from '../../core/sidecar/files.js';
import { summarize } from '../../core/inspect/summary.js';
import type { TdataInfo } from '../../core/formats/types.js';
import { formatAppVersion } from '../../core/formats/tdata/index.js';
import { accountOption, flag, formatOption, inputArg, one, parse, type Command } from '../args.js';
import { withPasscode } from '../passphrase.js';
import { renderAccount, renderJson, renderSummary } from '../render.js';

export const inspectCommand: Command = {
  usage: `sessiondeck inspect <file | folder | string | -> [--json] [--peers] [--from <format>]

  <input>        a session file or folder, a session string, or - to read the string from stdin
  --json         print the summary as JSON (ids, hashes and salts as decimal strings), with
                 "account" (who it is, and where each fact came from) and "sidecar" (its .json)
  --peers        include the peer cache
  --from F       read the input as format F when it fits more than one
  --account N    of a Telegram Desktop tdata, the account N (from 1, in Desktop's order; default 1);
                 --json then adds "tdata": { "appVersion", "accounts": [{ "index", "userId", "homeDc" }], "active" }
                 a passcode is asked for on the terminal, or read from SESSIONDECK_TDATA_PASSCODE`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      peers: { type: 'boolean' },
      from: { type: 'string' },
      account: { type: 'string' },
    });
    const input = inputArg(one(positionals, 'input'), io);
    const opts = { from: formatOption(values, 'from'), account: accountOption(values) };
    const result = await withPasscode((passcode) => readInput(input, { ...opts, passcode }));
    const summary = summarize(result, { peers: flag(values, 'peers') });
    const s = result.session;
    const found = inputKind(input) === 'string' ? null : loadSidecar(input);
    // A session that stores no user id may still hold its own row: the sidecar's id finds it.
    const selfId = s.user?.id ?? found?.sidecar?.account.userId;
    const part = accountPart(null, { userId: s.user?.id ?? null, isBot: s.user?.isBot ?? null, homeDc: summary.homeDc, self: selfPeerOf(s, selfId) }, found);
    summary.warnings.push(...part.warnings);
    if (flag(values, 'json')) {
      io.out(renderJson({ ...summary, account: part.account, sidecar: part.sidecar && jsonSidecar(part.sidecar), ...(result.tdata ? { tdata: jsonTdata(result.tdata) } : {}) }));
    } else {
      io.out([renderSummary(summary), ...renderAccount(part.account, part.sidecar), ...renderTdata(result.tdata)].join('\n'));
    }
    return 0;
  },
};

/** The sidecar as `inspect --json` prints it: the fields, no secrets. */
function jsonSidecar(f: NonNullable<ReturnType<typeof accountPart>['sidecar']>) {
  const { path, userId, phone, username, firstName, lastName, apiId, device, systemVersion, appVersion, langPack, systemLangPack, has2fa, premium, otherKeys } = f;
  return { path, userId, phone, username, firstName, lastName, apiId, device, systemVersion, appVersion, langPack, systemLangPack, has2fa, premium, otherKeys };
}

/** The tdata's accounts as `inspect --json` prints them. */
function jsonTdata(t: TdataInfo) {
  return { appVersion: t.appVersion, accounts: t.accounts, active: t.active };
}

function renderTdata(t: TdataInfo | undefined): string[] {
  if (!t) return [];
  return [
    '',
    `tdata       Telegram Desktop ${formatAppVersion(t.appVersion)}, ${t.accounts.length} account(s), showing account ${t.account} (--account N for another)`,
    ...t.accounts.map((a) => `  ${a.index === t.active ? '*' : ' '}${String(a.index).padEnd(3)} user ${a.userId}  DC ${a.homeDc}`),
  ];
}


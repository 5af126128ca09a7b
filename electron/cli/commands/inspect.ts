import { accountPart } from '../../core/accounts/session-account.js';
import type { PeerRow } from '../../../shared/dto.js';
import { stringifyJson } from '../../../shared/json.js';
import { inputKind } from '../../core/formats/detect.js';
import { loadSidecar } from '../../core/sidecar/files.js';
import { overviewOf, overviewOfResult, peerRowsOf } from '../../core/inspect/overview.js';
import { storeRefOf } from '../../core/store/session-refs.js';
import { parseStoreAddress } from '../../core/store/store-url.js';
import { readCliInput, storeOverview } from '../stores.js';
import type { TdataInfo } from '../../core/formats/types.js';
import { formatAppVersion } from '../../core/formats/tdata/index.js';
import { accountOption, flag, formatOption, inputArg, one, parse, type Command } from '../args.js';
import { withPasscode } from '../passphrase.js';
import type { CliIo } from '../io.js';
import { PEER_HEADER, renderAccount, renderJson, renderPeerRow, renderSummary } from '../render.js';

export const inspectCommand: Command = {
  usage: `sessiondeck inspect <file | folder | string | -> [--json] [--peers] [--from <format>]

  <input>        a session file or folder, a session string, - to read the string from stdin,
                 or a session in a store: <store URL>#<session id> (--json adds "store")
  --json         print the summary as JSON (ids, hashes and salts as decimal strings), with
                 "account" (who it is, and where each fact came from) and "sidecar" (its .json)
  --peers        include the peer cache (in id order; streamed, never loaded whole from SQLite)
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
    const inStore = storeRefOf(input);
    const found = inputKind(input) === 'string' || inStore ? null : loadSidecar(input);
    // A session that stores no user id may still hold its own row: the sidecar's id finds it.
    const withPeers = flag(values, 'peers');
    const o = inStore
      ? withPeers
        ? overviewOfResult(await readCliInput(input))
        : await storeOverview(inStore)
      : await withPasscode((passcode) => overviewOf(input, { ...opts, passcode }, found?.sidecar?.account.userId));
    const { result, summary } = o;
    const s = result.session;
    const part = accountPart(null, { userId: s.user?.id ?? null, isBot: s.user?.isBot ?? null, homeDc: summary.homeDc, self: o.self }, found);
    summary.warnings.push(...part.warnings);
    const pages = withPeers ? peerRowsOf(input, o, opts) : undefined;
    if (flag(values, 'json')) {
      const store = inStore && { location: parseStoreAddress(inStore.store).display, id: inStore.id };
      const head = renderJson({ ...summary, account: part.account, sidecar: part.sidecar && jsonSidecar(part.sidecar), ...(result.tdata ? { tdata: jsonTdata(result.tdata) } : {}), ...(store ? { store } : {}) });
      if (!pages) io.out(head);
      else streamJsonPeers(head, pages, io);
    } else {
      io.out([renderSummary(summary), ...renderAccount(part.account, part.sidecar), ...renderTdata(result.tdata)].join('\n'));
      if (pages) {
        io.out(`\n${PEER_HEADER}`);
        for (const rows of pages) io.out(rows.map(renderPeerRow).join('\n'));
      }
    }
    return 0;
  },
};

/**
 * The JSON summary with "peerList" last, written a page at a time: a million peers are never
 * one string (nor, from SQL, one array).
 */
function streamJsonPeers(head: string, pages: Iterable<PeerRow[]>, io: CliIo): void {
  io.out(`${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "peerList": [`);
  let held: string | undefined;
  for (const rows of pages) {
    if (rows.length === 0) continue;
    if (held !== undefined) io.out(`${held},`);
    held = rows.map((r) => `    ${stringifyJson(r)}`).join(',\n');
  }
  if (held !== undefined) io.out(held);
  io.out('  ]\n}');
}

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

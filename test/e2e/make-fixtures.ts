/**
 * Builds the e2e library folder: sessions made by the real libraries where they install here
 * (Telethon through python3, GramJS through npm `telegram`), Pyrogram through our writer and
 * ferogram through our encoder, plus a file that is not a session; accounts with `.json` sidecars
 * in the styles account tools write them (one contradicting its session), a stray `.json` that is
 * no sidecar, and one login in two formats (a duplicate pair). Beside the library, a folder of
 * Telegram Desktop tdata (5.8.3, two accounts; one account behind the passcode 123123).
 * usage: node bin/run-ts.mjs test/e2e/make-fixtures.ts <dir>   → prints JSON facts on stdout
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthKey } from 'telegram/crypto/AuthKey.js';
import { StringSession } from 'telegram/sessions/index.js';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { pyrogramSqlite } from '../../electron/core/formats/pyrogram-sqlite.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { readTdata } from '../../electron/core/formats/tdata/index.js';
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';
import { TDATA_FIXTURES } from '../helpers/tdata-sessions.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: make-fixtures.ts <dir>');
const lib = join(dir, 'library');
for (const sub of ['telethon', 'pyrogram', 'gramjs', 'ferogram', 'misc', 'accounts', 'dup']) mkdirSync(join(lib, sub), { recursive: true });

const key = (seed: number) => Uint8Array.from({ length: 256 }, (_, i) => (i * seed + 11) % 256);
const BIG = Number(process.env.E2E_BIG_PEERS ?? 100_000);

const py = execFileSync('/usr/bin/python3', [fileURLToPath(new URL('./make_telethon.py', import.meta.url)), join(lib, 'telethon'), String(BIG)], {
  encoding: 'utf8',
  maxBuffer: 1 << 20,
});
const { telethonString, aliceString, authKeyHex, bigKeyHex } = JSON.parse(py.trim().split('\n').pop()!) as { telethonString: string; aliceString: string; authKeyHex: string; bigKeyHex: string };

// Pyrogram: our writer (Pyrogram itself does not install here). An old, idle session.
const pyro: Session = {
  ...emptySession(),
  homeDc: 4,
  dcs: [makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: key(13) })],
  user: { id: 5_000_001n, isBot: false },
  testMode: false,
  apiId: 611335,
  updates: { pts: 0, qts: 0, date: 1_600_000_000, seq: 0, channels: new Map() },
  peers: [{ id: 6_000_001n, kind: 'user', accessHash: 42n, usernames: ['pyro_pal'], phone: '4915112345678' }],
};
const pyroPath = join(lib, 'pyrogram', 'bob.session');
writeOutput(pyrogramSqlite, pyro, pyroPath);
const old = new Date('2020-09-13T12:26:40Z');
utimesSync(pyroPath, old, old);

// GramJS: a StringSession made by the library itself.
const gs = new StringSession('');
gs.setDC(1, '149.154.175.53', 443);
const gk = new AuthKey();
await gk.setKey(Buffer.from(key(17)));
gs.setAuthKey(gk);
const gramjsString = gs.save();
writeFileSync(join(lib, 'gramjs', 'carol.txt'), `${gramjsString}\n`);

// ferogram: our encoder (the Rust library is not here), with its extra DC flags.
const fero: Session = {
  ...emptySession(),
  homeDc: 2,
  dcs: [
    makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: key(19), salt: 123456789n, timeOffset: -3 }),
    makeDc({ id: 2, address: '2001:67c:4e8:f002::a', port: 443, ipv6: true }),
    makeDc({ id: 4, address: '149.154.164.250', port: 443, mediaOnly: true }),
  ],
  user: { id: 7_000_007n, isBot: true },
  updates: { pts: 10, qts: 0, date: 1_767_225_600, seq: 3, channels: new Map([[1_500_000_000n, 77]]) },
};
writeFileSync(join(lib, 'ferogram', 'dave.session'), ferogramBinary.encode(fero));

writeFileSync(join(lib, 'misc', 'notes.txt'), 'shopping list: milk, bread\n');
mkdirSync(join(dir, 'out'), { recursive: true });

// Accounts with sidecars. Jane: a Telethon file that stores no user id, and a sidecar in the
// style of account shops, its 64-bit user id above 2^53 written as a bare JSON number (a
// double would round it to ...992), its 2FA password under "twoFA".
const janeId = '9007199254740993';
const jane2fa = 'Ochre-Walrus-7361-e2e-2fa';
const dcSession = (homeDc: number, seed: number, extra: Partial<Session> = {}): Session => ({
  ...emptySession(),
  homeDc,
  dcs: [makeDc({ id: homeDc, address: homeDc === 2 ? '149.154.167.51' : '149.154.167.91', port: 443, authKey: key(seed) })],
  testMode: false,
  ...extra,
});
writeOutput(telethonSqlite, dcSession(2, 29), join(lib, 'accounts', 'acct.session'));
writeFileSync(
  join(lib, 'accounts', 'acct.json'),
  `{
  "session_file": "acct",
  "phone": "15550107788",
  "user_id": ${janeId},
  "app_id": 2040,
  "app_hash": "b18441a1ff607e10a989891a5462e627",
  "device": "DESKTOP-7Q2K4LM",
  "sdk": "Windows 10",
  "app_version": "4.16.8 x64",
  "lang_pack": "tdesktop",
  "lang_code": "en",
  "system_lang_pack": "en-US",
  "system_lang_code": "en-US",
  "first_name": "Jane",
  "last_name": "Doe",
  "username": "jane",
  "is_premium": true,
  "twoFA": "${jane2fa}",
  "spamblock": "free",
  "extra_key": 1
}
`,
);

// Kim: a Pyrogram file whose peer cache holds her own row, and a sidecar with the other spellings.
const kim2fa = 'Plover-Lantern-5519-e2e-2fa';
const kim = dcSession(4, 31, {
  user: { id: 5_000_010n, isBot: false },
  apiId: 2496,
  peers: [{ id: 5_000_010n, kind: 'user', accessHash: 77n, usernames: ['kim_k'], name: 'Kim Kay' }],
});
writeOutput(pyrogramSqlite, kim, join(lib, 'accounts', 'kim.session'));
writeFileSync(
  join(lib, 'accounts', 'kim.json'),
  `${JSON.stringify({ id: 5_000_010, phone: '+4915700000010', api_id: 2496, api_hash: '0123456789abcdef0123456789abcdef', device_model: 'Pixel 7', system_version: 'SDK 34', app_version: '10.14.5', '2fa': kim2fa, register_time: 1_700_000_000 }, null, 2)}\n`,
);

// Liz: a sidecar that names another user than its session.
writeOutput(pyrogramSqlite, dcSession(4, 37, { user: { id: 5_000_020n, isBot: false }, apiId: 6 }), join(lib, 'accounts', 'liz.session'));
writeFileSync(join(lib, 'accounts', 'liz.json'), `${JSON.stringify({ user_id: 5_000_021, first_name: 'Liz', username: 'liz_w' })}\n`);

// A bot, named by its sidecar.
writeOutput(pyrogramSqlite, dcSession(2, 43, { user: { id: 5_000_040n, isBot: true }, apiId: 6 }), join(lib, 'accounts', 'helper.session'));
writeFileSync(join(lib, 'accounts', 'helper.json'), `${JSON.stringify({ user_id: 5_000_040, is_bot: true, first_name: 'Deck Helper', username: 'deck_helper_bot' })}\n`);

// A stray .json beside no session: not a sidecar, not a session, never listed.
writeFileSync(join(lib, 'misc', 'config.json'), `${JSON.stringify({ theme: 'dark', recent: ['alice.session'] }, null, 2)}\n`);

// One login in two files: a Pyrogram session and the Telethon file the core converts it to.
const erin = dcSession(4, 41, { user: { id: 5_000_030n, isBot: false }, apiId: 611335 });
writeOutput(pyrogramSqlite, erin, join(lib, 'dup', 'erin.session'));
const erinCopy = prepareConversion(erin, 'pyrogram', 'telethon');
writeOutput(erinCopy.target, erinCopy.session, join(lib, 'dup', 'erin-copy.session'));

// Telegram Desktop folders, named anyhow (a tdata is found by its content): two accounts, and one behind a passcode.
const desktop = join(dir, 'desktop');
cpSync(join(TDATA_FIXTURES, 'multiacc'), join(desktop, 'tdata'), { recursive: true });
cpSync(join(TDATA_FIXTURES, 'passcode'), join(desktop, 'work-tdata'), { recursive: true });
const tdataKeys = [readTdata(join(desktop, 'tdata')), readTdata(join(desktop, 'work-tdata'), { passcode: '123123' })].flatMap((t) =>
  t.accounts.flatMap((a) => a.session.dcs.map((d) => Buffer.from(d.authKey!).toString('hex'))),
);

// Every auth key and session string in the library, for the test that the UI never receives one.
// The order of the first four is what web.spec.ts relies on (alice's key first, GramJS's third).
const authKeys = [authKeyHex, ...[13, 17, 19, 29, 31, 37, 41, 43].map((seed) => Buffer.from(key(seed)).toString('hex')), bigKeyHex, ...tdataKeys];
const sessionStrings = [telethonString, aliceString, gramjsString];
const twoFa = [jane2fa, kim2fa];

process.stdout.write(`${JSON.stringify({ library: lib, desktop, out: join(dir, 'out'), telethonString, aliceString, bigPeers: BIG, authKeys, sessionStrings, twoFa, janeId })}\n`);

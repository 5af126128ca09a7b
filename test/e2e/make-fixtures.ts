/**
 * Builds the e2e library folder: sessions made by the real libraries where they install here
 * (Telethon through python3, GramJS through npm `telegram`), Pyrogram through our writer and
 * ferogram through our encoder, plus a file that is not a session.
 * usage: node bin/run-ts.mjs test/e2e/make-fixtures.ts <dir>   → prints JSON facts on stdout
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthKey } from 'telegram/crypto/AuthKey.js';
import { StringSession } from 'telegram/sessions/index.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { pyrogramSqlite } from '../../electron/core/formats/pyrogram-sqlite.js';
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: make-fixtures.ts <dir>');
const lib = join(dir, 'library');
for (const sub of ['telethon', 'pyrogram', 'gramjs', 'ferogram', 'misc']) mkdirSync(join(lib, sub), { recursive: true });

const key = (seed: number) => Uint8Array.from({ length: 256 }, (_, i) => (i * seed + 11) % 256);
const BIG = Number(process.env.E2E_BIG_PEERS ?? 100_000);

const py = execFileSync('/usr/bin/python3', [fileURLToPath(new URL('./make_telethon.py', import.meta.url)), join(lib, 'telethon'), String(BIG)], {
  encoding: 'utf8',
  maxBuffer: 1 << 20,
});
const { telethonString, aliceString, authKeyHex } = JSON.parse(py.trim().split('\n').pop()!) as { telethonString: string; aliceString: string; authKeyHex: string };

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

// Every auth key and session string in the library, for the test that the UI never receives one.
const authKeys = [authKeyHex, ...[13, 17, 19].map((seed) => Buffer.from(key(seed)).toString('hex'))];
const sessionStrings = [telethonString, aliceString, gramjsString];

process.stdout.write(`${JSON.stringify({ library: lib, out: join(dir, 'out'), telethonString, aliceString, bigPeers: BIG, authKeys, sessionStrings })}\n`);

/**
 * Interop against the real Telethon 1.x (Debian python3-telethon), run OFFLINE through
 * telethon_oracle.py: Telethon writes files and strings that we read, and reads what we write,
 * including the files `sessiondeck convert` makes of a Telegram Desktop tdata.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../electron/core/bytes.js';
import { projectSession } from '../../electron/core/convert/project.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { readSqlite } from '../../electron/core/formats/detect.js';
import { telethonCapabilities, telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { decodeTelethonString, encodeTelethonString } from '../../electron/core/formats/telethon-string.js';
import { markId } from '../../electron/core/model/peer-id.js';
import type { Peer, Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { PRODUCTION_DCS } from '../../electron/core/model/dc-table.js';
import { runCli } from '../helpers/cli-run.js';
import { TDATA_FIXTURES } from '../helpers/tdata-sessions.js';
import { buildOldFile, oldFileKey as key } from '../helpers/telethon-old.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = fileURLToPath(new URL('./telethon_oracle.py', import.meta.url));

function telethonMissing(): string | false {
  const r = spawnSync(PYTHON, ['-c', 'import telethon'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} is not available (${r.error.message})`;
  return r.status === 0 ? false : 'python3-telethon is not installed (apt-get install -y python3-telethon)';
}
const missing = telethonMissing();

type Command = { cmd: string } & Record<string, unknown>;
interface StateAnswer {
  pts: number;
  qts: number;
  date: number;
  seq: number;
}
type PeerAnswer = { type: string; id: string; hash?: string } | null;
/** The union of the oracle's answers (see telethon_oracle.py); each test reads its own fields. */
interface Answer {
  entity_dates: Record<string, number>;
  version: number;
  dc_id: number;
  server_address: string | null;
  port: number | null;
  auth_key: string | null;
  takeout_id: string | null;
  state: StateAnswer | null;
  states: Record<string, StateAnswer>;
  by_id: Record<string, PeerAnswer>;
  by_key: Record<string, PeerAnswer>;
  string: string;
  rows: unknown[];
}

/** Runs a batch of oracle commands in one Python process. */
function oracle(commands: Command[]): Answer[] {
  const r = spawnSync(PYTHON, [ORACLE], { input: JSON.stringify(commands), encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`telethon_oracle.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Answer[];
}

const dir = mkdtempSync(join(tmpdir(), 'telethon-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (b: Uint8Array | undefined) => (b ? toHex(b) : null);

/** What Telethon is asked to store (ids and hashes as decimal strings, as the oracle takes them). */
const SPEC = {
  dc: { id: 2, address: '149.154.167.51', port: 443 },
  auth_key: toHex(key(21)),
  takeout_id: '-7000000000000000123',
  self_id: '5000000001',
  users: [
    { id: '101', access_hash: '-9000000000000000001', username: 'AliceSmith', phone: '15550001111', first_name: 'Alice', last_name: 'Smith' },
    { id: '8000000000', access_hash: '8000000000000000001', username: 'helper_bot', first_name: 'Helper', bot: true },
    { id: '103', access_hash: '42', first_name: 'NoUsername' },
  ],
  chats: [{ id: '555', title: 'Small group' }],
  channels: [
    { id: '1234567890', access_hash: '-1234', title: 'News', username: 'NewsChannel' },
    { id: '1987654321', access_hash: '99', title: 'Mega', megagroup: true },
  ],
  state: { pts: 100, qts: 7, date: 1_700_000_000.25, seq: 3 },
  channel_pts: [
    { id: '1234567890', pts: 55, date: 1_700_000_100 },
    { id: '1987654321', pts: 66 },
  ],
};

describe.skipIf(missing)(`Telethon interop (real library, offline)${missing ? `: skipped, ${missing}` : ''}`, () => {
  it('reads a file Telethon wrote, field by field', () => {
    const path = join(dir, 'from-telethon.session');
    const path6 = join(dir, 'from-telethon-v6.session');
    const [made, made6] = oracle([
      { cmd: 'make_sqlite', path, ...SPEC },
      { cmd: 'make_sqlite', path: path6, dc: { id: 4, address: '2001:67c:4e8:f004::a', port: 443 }, auth_key: toHex(key(22)) },
    ]);
    const r = readSqlite(path);
    expect(r.format).toBe('telethon');
    expect(r.formatVersion).toBe(7);
    expect(r.warnings).toEqual([]);
    const s = r.session;
    expect(s.homeDc).toBe(2);
    expect(s.dcs.map((d) => [d.id, d.address, d.port, d.ipv6, hex(d.authKey)])).toEqual([[2, '149.154.167.51', 443, false, SPEC.auth_key]]);
    expect(s.takeoutId).toBe(BigInt(SPEC.takeout_id));
    expect(s.user).toEqual({ id: BigInt(SPEC.self_id) });
    expect(s.updates.pts).toBe(100);
    expect(s.updates.qts).toBe(7);
    expect(s.updates.seq).toBe(3);
    expect(s.updates.date).toBe(1_700_000_000); // Telethon stored the REAL 1700000000.25
    expect(s.updates.channels).toEqual(new Map([[1_234_567_890n, 55], [1_987_654_321n, 66]]));

    const dates = made!.entity_dates;
    const want = (id: string, kind: 'user' | 'chat' | 'channel', hash: string, extra: Partial<Peer>): Peer => ({
      id: BigInt(id),
      kind,
      accessHash: BigInt(hash),
      usernames: [],
      seenAt: dates[markId(BigInt(id), kind).toString()]!,
      ...extra,
    });
    const byId = (a: Peer, b: Peer) => (a.id < b.id ? -1 : 1);
    expect([...s.peers].sort(byId)).toEqual(
      [
        want('101', 'user', SPEC.users[0]!.access_hash, { usernames: ['alicesmith'], phone: '15550001111', name: 'Alice Smith' }),
        want('8000000000', 'user', SPEC.users[1]!.access_hash, { usernames: ['helper_bot'], name: 'Helper' }),
        want('103', 'user', '42', { name: 'NoUsername' }),
        want('555', 'chat', '0', { name: 'Small group' }),
        want('1234567890', 'channel', '-1234', { usernames: ['newschannel'], name: 'News' }),
        want('1987654321', 'channel', '99', { name: 'Mega' }),
      ].sort(byId),
    );
    for (const p of s.peers) expect(typeof p.seenAt).toBe('number');

    expect(made6).toBeDefined();
    const s6 = readSqlite(path6).session;
    expect(s6.dcs.map((d) => [d.id, d.address, d.port, d.ipv6, hex(d.authKey)])).toEqual([[4, '2001:67c:4e8:f004::a', 443, true, toHex(key(22))]]);
  });

  it('writes a file Telethon reads: DC, key, takeout, states, entities by id, username and phone', () => {
    const s = emptySession();
    s.homeDc = 4;
    s.dcs = [makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: key(31) })];
    s.user = { id: 6_000_000_001n };
    s.takeoutId = 123_456_789_012n;
    s.updates = { pts: 10, qts: 20, date: 1_700_000_500, seq: 30, channels: new Map([[1_500_000_000n, 77]]) };
    s.peers = [
      { id: 201n, kind: 'user', accessHash: -5n, usernames: ['BobBuilder'], phone: '15557654321', name: 'Bob', seenAt: 1_690_000_000 },
      { id: 202n, kind: 'bot', accessHash: 6n, usernames: ['robot_bot'], name: 'Robot' },
      { id: 777n, kind: 'chat', accessHash: 0n, usernames: [], name: 'Chat' },
      { id: 1_500_000_000n, kind: 'megagroup', accessHash: -7_000_000_000_000_000_000n, usernames: ['bigroom'], name: 'Room' },
    ];
    const projected = projectSession(s, telethonCapabilities, 'Telethon').session;
    const path = join(dir, 'ours.session');
    writeOutput(telethonSqlite, projected, path);
    const fresh = join(dir, 'fresh.session');
    const [got, oursSchema, , theirSchema] = oracle([
      {
        cmd: 'read_sqlite',
        path,
        ids: ['0', '201', '202', '-777', '-1001500000000', '999'],
        keys: ['bobbuilder', '@BobBuilder', 'robot_bot', 'bigroom', '+15557654321', 'Chat'],
      },
      { cmd: 'schema', path },
      { cmd: 'make_sqlite', path: fresh },
    ]).concat(oracle([{ cmd: 'schema', path: fresh }]));
    expect(got!.version).toBe(7);
    expect([got!.dc_id, got!.server_address, got!.port, got!.auth_key]).toEqual([4, '149.154.167.91', 443, toHex(key(31))]);
    expect(got!.takeout_id).toBe('123456789012');
    expect(got!.state).toEqual({ pts: 10, qts: 20, date: 1_700_000_500, seq: 30 });
    expect(Object.keys(got!.states).sort()).toEqual(['0', '1500000000']);
    expect(got!.states['1500000000']?.pts).toBe(77);
    expect(got!.by_id).toEqual({
      '0': { type: 'user', id: '0', hash: '6000000001' }, // Telethon's "own id" convention
      '201': { type: 'user', id: '201', hash: '-5' },
      '202': { type: 'user', id: '202', hash: '6' },
      '-777': { type: 'chat', id: '777' },
      '-1001500000000': { type: 'channel', id: '1500000000', hash: '-7000000000000000000' },
      '999': null,
    });
    expect(got!.by_key).toEqual({
      bobbuilder: { type: 'user', id: '201', hash: '-5' },
      '@BobBuilder': { type: 'user', id: '201', hash: '-5' },
      robot_bot: { type: 'user', id: '202', hash: '6' },
      bigroom: { type: 'channel', id: '1500000000', hash: '-7000000000000000000' },
      '+15557654321': { type: 'user', id: '201', hash: '-5' },
      Chat: { type: 'chat', id: '777' },
    });
    // Byte-identical table definitions to a file Telethon created itself.
    expect(oursSchema!.rows).toEqual(theirSchema!.rows);
  });

  it('string sessions both ways, IPv4 and IPv6', () => {
    const cases = [
      { dc_id: 2, address: '149.154.167.51', port: 443, auth_key: toHex(key(41)) },
      { dc_id: 5, address: '2001:b28:f23f:f005::a', port: 443, auth_key: toHex(key(42)) },
    ];
    const ours = cases.map((c) => {
      const s: Session = emptySession();
      s.homeDc = c.dc_id;
      s.dcs = [makeDc({ id: c.dc_id, address: c.address, port: c.port, authKey: Buffer.from(c.auth_key, 'hex') })];
      return encodeTelethonString(s);
    });
    const out = oracle([
      ...cases.map((c) => ({ cmd: 'make_string', ...c })),
      ...ours.map((string) => ({ cmd: 'read_string', string })),
    ]);
    cases.forEach((c, i) => {
      const theirs = out[i]!.string;
      expect(theirs).toHaveLength(i === 0 ? 353 : 369);
      // Ours is byte for byte what Telethon's StringSession.save() produces.
      expect(ours[i]).toBe(theirs);
      const d = decodeTelethonString(theirs).session;
      expect(d.homeDc).toBe(c.dc_id);
      expect(d.dcs.map((x) => [x.id, x.address, x.port, x.ipv6, hex(x.authKey)])).toEqual([[c.dc_id, c.address, c.port, i === 1, c.auth_key]]);
      expect(out[cases.length + i]).toEqual({ dc_id: c.dc_id, server_address: c.address, port: c.port, auth_key: c.auth_key });
    });
  });

  it('old schema versions 2–6 (and WITHOUT ROWID): Telethon migrates them and agrees with our reading', () => {
    const files: { path: string; version: number }[] = [];
    // Not 1: Telethon's 1→2 step falls through to "drop table sent_files", which a version 1
    // file never had, so Telethon itself cannot open one (we can: see the unit tests).
    for (const version of [2, 3, 4, 5, 6]) {
      for (const withoutRowid of version <= 2 ? [false, true] : [false]) {
        const path = join(dir, `old-v${version}${withoutRowid ? '-wr' : ''}.session`);
        buildOldFile(path, version, withoutRowid);
        copyFileSync(path, `${path}.copy.session`);
        files.push({ path, version });
      }
    }
    // Telethon upgrades in place, so it gets a copy: reading never writes.
    const answers = oracle(
      files.map((f) => ({ cmd: 'read_sqlite', path: `${f.path}.copy.session`, ids: ['123456', '-555', '-1000000000777'] })),
    );
    files.forEach((f, i) => {
      const t = answers[i]!;
      const s = readSqlite(f.path).session;
      expect(t.version).toBe(7);
      const dc = s.dcs[0]!;
      expect([t.dc_id, t.server_address, t.port, t.auth_key]).toEqual([dc.id, dc.address, dc.port, hex(dc.authKey)]);
      expect(t.takeout_id).toBe(s.takeoutId?.toString() ?? null);
      // Telethon's 5→6 migration empties entities; from version 6 on they survive and match ours.
      expect(s.peers).toHaveLength(3);
      for (const p of s.peers) {
        const seen = t.by_id[markId(p.id, p.kind).toString()];
        const want = f.version < 6 ? null : { type: p.kind, id: p.id.toString(), ...(p.kind === 'chat' ? {} : { hash: p.accessHash.toString() }) };
        expect(seen).toEqual(want);
      }
      expect(t.state ? { ...t.state } : null).toEqual(
        f.version >= 4 ? { pts: s.updates.pts, qts: s.updates.qts, date: 1_600_000_000.75, seq: s.updates.seq } : null,
      );
    });
  });

  it('reads the Telethon files converted from a Telegram Desktop tdata: each account its main DC, address and key', async () => {
    const fixtures = JSON.parse(readFileSync(join(TDATA_FIXTURES, 'expected.json'), 'utf8')) as Record<string, { accounts: { userId: string; mainDc: number; keys: Record<string, string> }[] }>;
    for (const [name, env] of [['multiacc', {}], ['passcode', { SESSIONDECK_TDATA_PASSCODE: '123123' }]] as const) {
      const out = join(dir, `from-tdata-${name}`);
      const r = await runCli(['convert', join(TDATA_FIXTURES, name), '--to', 'telethon', '-o', `${out}/`], { env });
      expect([r.code, r.err]).toEqual([0, '']);
      const want = fixtures[name]!.accounts;
      const answers = oracle(want.map((a) => ({ cmd: 'read_sqlite', path: join(out, `${a.userId}.session`) })));
      want.forEach((a, i) => {
        const t = answers[i]!;
        expect(t.dc_id).toBe(a.mainDc);
        expect(t.server_address).toBe(PRODUCTION_DCS[a.mainDc]);
        expect(t.port).toBe(443);
        expect(authKeyId(Buffer.from(t.auth_key!, 'hex'))).toBe(a.keys[String(a.mainDc)]);
      });
    }
  });
});

/**
 * Every decoder the fuzzer attacks, each with a corpus of valid encodings (generated sessions
 * written by our own encoders) and a way to turn one mutated case into a decode call:
 * - each string format: mutations of the text, and of the base64 payload re-encoded in the
 *   format's own alphabet (so cases reach the binary parser, not only the base64 check);
 * - the ferogram binary: mutations of the bytes;
 * - each SQLite format: byte mutations, page corruption, truncation and hostile schemas of a
 *   valid file, read through readSqlite (the path every SQLite read takes); and for the
 *   formats paged from SQL, the same cases opened as the UI opens them (`<format>-pager`);
 * - the `.json` sidecar codec: mutations of sidecars as account tools write them;
 * - Telegram Desktop tdata folders (`tdata`): written by writeTdata (and the Desktop 5.8.3
 *   fixtures when ../shared is there), their files mutated as stored, inside a valid TDF$
 *   container, and inside a validly encrypted block, then read with readTdata.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { FORMATS } from '../../electron/core/formats/registry.js';
import { readSqlite } from '../../electron/core/formats/detect.js';
import { SqlPeerSource } from '../../electron/core/inspect/sql-peer-source.js';
import type { PeerQuery } from '../../shared/dto.js';
import type { SessionFormat } from '../../electron/core/formats/types.js';
import { projectSession } from '../../electron/core/convert/project.js';
import { encodeSidecar, parseSidecar } from '../../electron/core/sidecar/codec.js';
import { sidecarFacts } from '../../electron/core/sidecar/facts.js';
import { ByteReader, ByteWriter } from '../../electron/core/bytes.js';
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';
import { readTdata, writeTdata } from '../../electron/core/formats/tdata/index.js';
import { decodeTdf, encodeTdf } from '../../electron/core/formats/tdata/container.js';
import { decryptLocal, encryptLocal } from '../../electron/core/formats/tdata/crypto.js';
import { encodeKeyData, lockLocalKey, parseKeyData, unlockLocalKey } from '../../electron/core/formats/tdata/key-data.js';
import { readQBytes, writeQBytes } from '../../electron/core/formats/tdata/qt-stream.js';
import { fakeKey, fullSession } from '../helpers/sessions.js';
import { sessionArb, withRequired } from '../helpers/arbitraries.js';
import { writeWith } from '../helpers/format-io.js';
import { TDATA_FIXTURES } from '../helpers/tdata-sessions.js';
import { corruptPage, int, mutate, pick, type Rng } from './mutate.js';
import { addManyTables, applyHostileEdits, type HostileLimits } from './hostile-sqlite.js';

export interface FuzzTarget {
  name: string;
  /** Builds the input of one case from its rng; the returned call runs the decoder on it. */
  prepare(rng: Rng): () => void;
  /** Longest one decode may take (ms) before the case counts as a hang. */
  budgetMs: number;
  /** Removes the target's temp files. */
  dispose(): void;
}

export interface TargetOptions {
  /** Valid sessions per format in the seed corpus. */
  corpus: number;
  limits: HostileLimits;
  /** Folder for the SQLite case files (a tmpfs is fastest). */
  dir?: string;
}

function sessionsFor(format: SessionFormat, n: number): ReturnType<typeof fullSession>[] {
  const caps = format.capabilities;
  const generated = fc.sample(sessionArb, { numRuns: n, seed: 42 });
  return [fullSession(), ...generated].map((s) => projectSession(withRequired(s, caps), caps, format.id).session);
}

interface StringShape {
  prefix: string;
  std: boolean;
  pad: boolean;
}

function shapeOf(text: string, format: SessionFormat): StringShape {
  const prefix = text.startsWith('1') && (format.id === 'telethon-string' || format.id === 'gramjs-string') ? '1' : '';
  const body = text.slice(prefix.length);
  return { prefix, std: format.id === 'gramjs-string', pad: body.endsWith('=') };
}

function encodeLike(bytes: Uint8Array, shape: StringShape): string {
  let body = Buffer.from(bytes).toString(shape.std ? 'base64' : 'base64url');
  if (!shape.std && shape.pad) body += '='.repeat((4 - (body.length % 4)) % 4);
  if (shape.std && !shape.pad) body = body.replace(/=+$/, '');
  return shape.prefix + body;
}

function stringTarget(format: Extract<SessionFormat, { medium: 'string' }>, opts: TargetOptions): FuzzTarget {
  const texts = sessionsFor(format, opts.corpus).map((s) => format.encode(s));
  const payloads = texts.map((t) => {
    const shape = shapeOf(t, format);
    return { shape, bytes: new Uint8Array(Buffer.from(t.slice(shape.prefix.length), shape.std ? 'base64' : 'base64url')) };
  });
  const latin1 = texts.map((t) => new Uint8Array(Buffer.from(t, 'latin1')));
  return {
    name: format.id,
    budgetMs: 1000,
    dispose() {},
    prepare(rng) {
      let input: string;
      if (rng() < 0.6) {
        const p = pick(rng, payloads);
        input = encodeLike(mutate(p.bytes, rng, pick(rng, payloads).bytes), p.shape);
      } else {
        input = Buffer.from(mutate(pick(rng, latin1), rng, pick(rng, latin1))).toString('latin1');
      }
      return () => format.decode(input);
    },
  };
}

function bytesTarget(format: Extract<SessionFormat, { medium: 'bytes' }>, opts: TargetOptions): FuzzTarget {
  const seeds = sessionsFor(format, opts.corpus).map((s) => format.encode(s));
  return {
    name: format.id,
    budgetMs: 1000,
    dispose() {},
    prepare(rng) {
      const input = mutate(pick(rng, seeds), rng, pick(rng, seeds));
      return () => format.decode(input);
    },
  };
}

function caseDir(opts: TargetOptions): string {
  return mkdtempSync(join(opts.dir ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'sd-fuzz-'));
}

type SqliteSessionFormat = Extract<SessionFormat, { medium: 'sqlite' }>;

/** What every SQLite read takes: readSqlite, with only this format tried (tampering sometimes lands in the detector's choice). */
const readWith = (format: SqliteSessionFormat) => (path: string) => void readSqlite(path, { from: format.id });

/** What opening a file in the UI takes for a format paged from SQL: the overview read without peers, then the pager's queries. */
const QUERIES: readonly [PeerQuery, number][] = [
  [{ search: '', kind: '', sort: 'id', desc: false }, 0],
  [{ search: '', kind: '', sort: 'id', desc: false }, 300],
  [{ search: '', kind: '', sort: 'id', desc: true }, 0],
  [{ search: 'a', kind: '', sort: 'username', desc: false }, 0],
  [{ search: '1', kind: 'user', sort: 'kind', desc: true }, 0],
];
const pageWith = (format: SqliteSessionFormat) => (path: string) => {
  readSqlite(path, { from: format.id, skipPeers: true });
  const s = SqlPeerSource.open(path, format.peerTable!);
  try {
    for (const [q, start] of QUERIES) s.page(q, start, 100);
  } finally {
    s.close();
  }
};

function sqliteTarget(format: SqliteSessionFormat, opts: TargetOptions, name: string, run: (path: string) => void): FuzzTarget {
  const dir = caseDir(opts);
  const files = sessionsFor(format, opts.corpus).map((s) => writeWith(format, s, dir));
  const seeds = files.map((f) => new Uint8Array(readFileSync(f)));
  const casePath = join(dir, 'case.session');
  const many = join(dir, 'many-tables.session');
  copyFileSync(files[0]!, many);
  addManyTables(many, opts.limits.manyTables);
  return {
    name,
    budgetMs: 10_000,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
    prepare(rng) {
      const i = int(rng, files.length);
      const mode = rng();
      if (mode < 0.3) {
        copyFileSync(rng() < 0.1 ? many : files[i]!, casePath);
        applyHostileEdits(casePath, rng, opts.limits);
      } else if (mode < 0.55) {
        writeFileSync(casePath, corruptPage(seeds[i]!, rng));
      } else if (mode < 0.7) {
        const page = 4096;
        const cut = rng() < 0.5 ? int(rng, Math.ceil(seeds[i]!.length / page)) * page : int(rng, seeds[i]!.length);
        writeFileSync(casePath, seeds[i]!.subarray(0, cut));
      } else {
        writeFileSync(casePath, mutate(seeds[i]!, rng, pick(rng, seeds)));
      }
      return () => run(casePath);
    },
  };
}

/** One target per string format, the ferogram binary, and each SQLite format (or those named). */
/** Sidecars as account tools write them; a case parses, is summarised and is written back. */
const SIDECARS = [
  '{\n  "session_file": "acct",\n  "phone": "15550001111",\n  "user_id": 9007199254740993,\n  "app_id": 2040,\n  "app_hash": "b18441a1ff607e10a989891a5462e627",\n  "twoFA": "FUZZ-2FA-SECRET",\n  "extra": {"a": [1, 2.5e3, null, true]}\n}\n',
  '{"id":"123","api_id":"6","device_model":"PC","system_version":"Linux","2fa":"FUZZ-2FA-SECRET","is_premium":1,"dc_id":4}',
  '\uFEFF{"user_id": -1, "username": "@x", "first_name": "\u00e9", "password": "FUZZ-2FA-SECRET"}',
].map((t) => new Uint8Array(Buffer.from(t, 'utf8')));

function sidecarTarget(): FuzzTarget {
  return {
    name: 'sidecar',
    budgetMs: 1000,
    dispose() {},
    prepare(rng) {
      const input = Buffer.from(mutate(pick(rng, SIDECARS), rng, pick(rng, SIDECARS))).toString('utf8');
      return () => {
        try {
          const s = parseSidecar(input, 'fuzz.json');
          sidecarFacts('fuzz.json', s);
          encodeSidecar(s, 'out.session');
        } catch (e) {
          // The 2FA password is never part of an error, however the text is broken.
          if (e instanceof Error && e.message.includes('FUZZ-2FA')) throw new Error('a sidecar error quoted its 2FA password', { cause: e });
          throw e;
        }
      };
    },
  };
}

/** One tdata folder in memory: its files by relative path, and the local key they are encrypted with. */
interface TdataSeed {
  files: Map<string, Uint8Array>;
  localKey: Uint8Array;
}

function filesOf(root: string, rel = ''): [string, Uint8Array][] {
  return readdirSync(join(root, rel)).flatMap((name): [string, Uint8Array][] => {
    const path = join(rel, name);
    return statSync(join(root, path)).isDirectory() ? filesOf(root, path) : [[path, new Uint8Array(readFileSync(join(root, path)))]];
  });
}

function seedOf(dir: string): TdataSeed {
  const files = new Map(filesOf(dir));
  const kd = parseKeyData(decodeTdf(files.get('key_datas')!, 'key_datas').payload, 'key_datas');
  return { files, localKey: unlockLocalKey(kd, '', 'key_datas')! };
}

/** An encrypted file's contents (account settings, config) re-encrypted after `edit`. */
function reEncrypted(bytes: Uint8Array, localKey: Uint8Array, edit: (plain: Uint8Array) => Uint8Array): Uint8Array | undefined {
  try {
    const file = decodeTdf(bytes, 'fuzz');
    const plain = decryptLocal(readQBytes(new ByteReader(file.payload), 'fuzz'), localKey, 'fuzz');
    if (!plain) return undefined;
    const w = new ByteWriter();
    writeQBytes(w, encryptLocal(edit(new Uint8Array(plain)), localKey));
    return encodeTdf(w.finish(), file.version);
  } catch {
    return undefined;
  }
}

/** key_datas with its account list, its local key block or its salt changed (each validly encrypted). */
function reKeyed(bytes: Uint8Array, localKey: Uint8Array, rng: Rng): Uint8Array | undefined {
  try {
    const file = decodeTdf(bytes, 'fuzz');
    const kd = parseKeyData(file.payload, 'fuzz');
    const mode = rng();
    if (mode < 0.6) {
      const list = decryptLocal(kd.infoEncrypted, localKey, 'fuzz')!;
      return encodeTdf(encodeKeyData({ ...kd, infoEncrypted: encryptLocal(mutate(list, rng, list), localKey) }), file.version);
    }
    if (mode < 0.85) return encodeTdf(encodeKeyData({ ...kd, ...lockLocalKey(mutate(localKey, rng, localKey), '', kd.salt) }), file.version);
    return encodeTdf(encodeKeyData({ ...kd, salt: mutate(kd.salt, rng, kd.salt) }), file.version);
  } catch {
    return undefined;
  }
}

const u32be = (v: number) => new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);

/** tdata folders: written by writeTdata (with a config, legacy blocks, an unknown block), and Desktop's own when ../shared is there. */
function tdataSeeds(dir: string): TdataSeed[] {
  const account = (id: bigint, home: number, dcs: number[]): Session => {
    const s = emptySession();
    s.homeDc = home;
    s.dcs = dcs.map((dc) => makeDc({ id: dc, address: '149.154.167.51', port: 443, authKey: fakeKey(Number(id) * 10 + dc) }));
    s.user = { id };
    return s;
  };
  const written = (name: string, sessions: Session[]) => {
    const out = join(dir, name);
    writeTdata(out, sessions);
    return seedOf(out);
  };
  const one = written('seed-one', [fullSession()]);
  const three = written('seed-three', [account(1n, 2, [1, 2]), account(2n, 4, [4, 5]), account(3n, 1, [1, 2, 3, 4, 5])]);
  // A config (test mode) beside the first account of `three`.
  const inner = new ByteWriter();
  writeQBytes(inner, new Uint8Array([...u32be(1), ...u32be(1), ...u32be(0xffffffff), ...new Uint8Array(16)]));
  const cfg = new ByteWriter();
  writeQBytes(cfg, encryptLocal(inner.finish(), three.localKey));
  three.files.set(join('D877F783D5D3EF8C', 'configs'), encodeTdf(cfg.finish(), 5008003));
  // Legacy dbiUser + dbiKey blocks, then a block of unknown layout.
  const legacy = written('seed-legacy', [account(4n, 2, [2])]);
  const legacyPlain = new Uint8Array([...u32be(0x01), ...u32be(4), ...u32be(2), ...u32be(0x00), ...u32be(2), ...fakeKey(42), ...u32be(0x99), ...u32be(5)]);
  legacy.files.set('D877F783D5D3EF8Cs', reEncrypted(legacy.files.get('D877F783D5D3EF8Cs')!, legacy.localKey, () => legacyPlain)!);
  const seeds = [one, three, legacy];
  for (const name of ['simple', 'multiacc']) if (existsSync(join(TDATA_FIXTURES, name))) seeds.push(seedOf(join(TDATA_FIXTURES, name)));
  return seeds;
}

function tdataTarget(opts: TargetOptions): FuzzTarget {
  const dir = caseDir(opts);
  const seeds = tdataSeeds(dir);
  // One case folder per seed, and what is on disk in it: a case rewrites only the files that
  // differ from the last case of its seed (most cases change one or two).
  const onDisk = seeds.map(() => new Map<string, Uint8Array>());
  const put = (root: string, disk: Map<string, Uint8Array>, files: Map<string, Uint8Array>) => {
    for (const name of disk.keys()) if (!files.has(name)) rmSync(join(root, name), { force: true });
    for (const [name, bytes] of files) {
      if (disk.get(name) === bytes) continue;
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), bytes);
    }
    disk.clear();
    for (const [name, bytes] of files) disk.set(name, bytes);
  };
  return {
    name: 'tdata',
    budgetMs: 1000,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
    prepare(rng) {
      const which = int(rng, seeds.length);
      const seed = seeds[which]!;
      const files = new Map(seed.files);
      for (let k = 1 + int(rng, 2); k > 0; k--) {
        const name = pick(rng, [...files.keys()]);
        const bytes = files.get(name)!;
        const mode = rng();
        let out: Uint8Array | undefined;
        if (mode < 0.05) {
          files.delete(name);
          continue;
        } else if (mode < 0.3) {
          out = mutate(bytes, rng, pick(rng, [...seed.files.values()]));
        } else if (mode < 0.55) {
          try {
            const file = decodeTdf(bytes, 'fuzz');
            out = encodeTdf(mutate(file.payload, rng, file.payload), rng() < 0.2 ? int(rng, 2 ** 31) : file.version);
          } catch {
            out = undefined;
          }
        } else if (name === 'key_datas') {
          out = reKeyed(bytes, seed.localKey, rng);
        } else {
          out = reEncrypted(bytes, seed.localKey, (plain) => mutate(plain, rng, plain));
        }
        files.set(name, out ?? mutate(bytes, rng, bytes));
      }
      const root = join(dir, `case-${which}`);
      put(root, onDisk[which]!, files);
      return () => void readTdata(root, { retries: 0 });
    },
  };
}

export function fuzzTargets(opts: TargetOptions, only?: readonly string[]): FuzzTarget[] {
  const sidecar = !only || only.includes('sidecar') ? [sidecarTarget()] : [];
  const tdata = !only || only.includes('tdata') ? [tdataTarget(opts)] : [];
  return [...sidecar, ...tdata, ...fuzzFormatTargets(opts, only)];
}

function fuzzFormatTargets(opts: TargetOptions, only?: readonly string[]): FuzzTarget[] {
  return FORMATS.filter((f) => !only || only.includes(f.id)).flatMap((f): FuzzTarget[] => {
    switch (f.medium) {
      case 'string':
        return [stringTarget(f, opts)];
      case 'bytes':
        return [bytesTarget(f, opts)];
      case 'sqlite':
        return [sqliteTarget(f, opts, f.id, readWith(f)), ...(f.peerTable ? [sqliteTarget(f, opts, `${f.id}-pager`, pageWith(f))] : [])];
      case 'folder':
      case 'store':
        return [];
    }
  });
}

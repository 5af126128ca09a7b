/**
 * Every decoder the fuzzer attacks, each with a corpus of valid encodings (generated sessions
 * written by our own encoders) and a way to turn one mutated case into a decode call:
 * - each string format: mutations of the text, and of the base64 payload re-encoded in the
 *   format's own alphabet (so cases reach the binary parser, not only the base64 check);
 * - the ferogram binary: mutations of the bytes;
 * - each SQLite format: byte mutations, page corruption, truncation and hostile schemas of a
 *   valid file, read through readSqlite (the path every SQLite read takes); and for the
 *   formats paged from SQL, the same cases opened as the UI opens them (`<format>-pager`);
 * - the `.json` sidecar codec: mutations of sidecars as account tools write them.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FORMATS } from '../../electron/core/formats/registry.js';
import { readSqlite } from '../../electron/core/formats/detect.js';
import { SqlPeerSource } from '../../electron/core/inspect/sql-peer-source.js';
import type { PeerQuery } from '../../shared/contract.js';
import type { SessionFormat } from '../../electron/core/formats/types.js';
import { projectSession } from '../../electron/core/convert/project.js';
import { encodeSidecar, parseSidecar } from '../../electron/core/sidecar/codec.js';
import { sidecarFacts } from '../../electron/core/sidecar/facts.js';
import { fullSession } from '../helpers/sessions.js';
import { sessionArb, withRequired } from '../helpers/arbitraries.js';
import { writeWith } from '../helpers/format-io.js';
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

export function fuzzTargets(opts: TargetOptions, only?: readonly string[]): FuzzTarget[] {
  const sidecar = !only || only.includes('sidecar') ? [sidecarTarget()] : [];
  return [...sidecar, ...fuzzFormatTargets(opts, only)];
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
        return [];
    }
  });
}

/**
 * Child process for the two-writers test: `node bin/run-ts.mjs <this> <path> <tag> <saves>`.
 * Saves whole sessions through SqliteBackend in a loop; every session has n peers whose access
 * hash is n (n varies per save), so a torn state shows as a peer count that differs from the
 * hashes. Prints a JSON summary with every error it met.
 */
import { SqliteBackend } from '../../electron/core/backends/sqlite.js';
import type { Peer } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { fakeKey } from './sessions.js';

const [path, tagText, savesText] = process.argv.slice(2);
const tag = Number(tagText);
const errors: string[] = [];
const backend = new SqliteBackend(path!);
let saves = 0;
for (let i = 0; i < Number(savesText); i++) {
  const n = 1 + ((i * 37 + tag * 11) % 200);
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: fakeKey(tag) })];
  s.peers = Array.from({ length: n }, (_, k): Peer => ({ id: BigInt(tag * 1_000_000 + k + 1), kind: 'user', accessHash: BigInt(n), usernames: [] }));
  try {
    await backend.save(s);
    saves++;
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
  }
}
backend.close();
process.stdout.write(`${JSON.stringify({ saves, errors })}\n`);

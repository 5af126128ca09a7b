/**
 * Child process for the binary-file concurrency test: `node bin/run-ts.mjs <this> <path> <tag> <saves> <peers>`.
 * Saves a whole session `saves` times, then caches `peers` peers of its own one by one
 * (read-modify-write under the lock), then prints "done".
 */
import { BinaryFileBackend } from '../../electron/core/backends/binary-file.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { testKey } from './le-bytes.js';

const [path, tagText, savesText, peersText] = process.argv.slice(2);
const tag = Number(tagText);
const backend = new BinaryFileBackend(path!, { timeoutMs: 60_000 });

for (let i = 0; i < Number(savesText); i++) {
  const s = emptySession();
  s.homeDc = tag;
  s.dcs = [makeDc({ id: tag, address: '149.154.167.51', port: 443, authKey: testKey(tag) })];
  s.updates.pts = i;
  // Sizes differ per writer and per save, so an interleaved write could not look whole.
  s.peers = Array.from({ length: (i % 7) + tag }, (_, k) => ({ id: BigInt(k), kind: 'user' as const, accessHash: BigInt(tag), usernames: [] }));
  await backend.save(s);
}
for (let k = 0; k < Number(peersText); k++) {
  await backend.cachePeer({ id: BigInt(tag * 1_000_000 + k), kind: 'user', accessHash: 1n, usernames: [] });
}
process.stdout.write('done\n');

/**
 * Child process for the crash-safety test: `node bin/run-ts.mjs <this> <format> <path> <old.json> <new.json>`
 * (the test runs it bundled, same arguments).
 * Saves the two sessions in turn, forever, with the converter's writeOutput (a Telethon SQLite
 * file, or a ferogram binary file), after printing "ready". The parent kills it with SIGKILL
 * at a random moment. Imports only what saving needs: startup is the cost.
 */
import { readFileSync } from 'node:fs';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import type { Session } from '../../electron/core/model/session.js';
import { sessionFromJson } from '../../electron/core/model/session-json.js';

const [kind, path, oldJson, newJson] = process.argv.slice(2) as [string, string, string, string];
const [a, b] = [oldJson, newJson].map((f) => sessionFromJson(readFileSync(f, 'utf8'))) as [Session, Session];
const format = kind === 'ferogram' ? ferogramBinary : telethonSqlite;
const save = (s: Session) => writeOutput(format, s, path, { force: true });

// Never outlive the test: stop when the parent's end of stdin closes.
process.stdin.on('end', () => process.exit(0)).resume();
process.stdout.write('ready\n');
// One line per finished save: the parent times its kills by these.
for (;;) {
  await new Promise((r) => setImmediate(r));
  await save(b);
  process.stdout.write('saved\n');
  await save(a);
  process.stdout.write('saved\n');
}

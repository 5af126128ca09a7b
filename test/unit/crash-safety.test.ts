/**
 * Crash safety: a writer process saving two sessions in turn with the converter's writeOutput
 * is killed with SIGKILL at a random moment, 200 times per output kind (a Telethon SQLite file,
 * a ferogram binary file). After every kill the file loads as exactly the old or the new
 * session, and the next writer can save again.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { decodeFerogramBinary, ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { readSqlite } from '../../electron/core/formats/detect.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import type { Session } from '../../electron/core/model/session.js';
import { sameSession } from '../../electron/core/model/normalize.js';
import { sessionToJson } from '../../electron/core/model/session-json.js';
import { crashSessions, type CrashBackend } from '../helpers/crash-sessions.js';
import { tempDir } from '../helpers/format-io.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 200);
/** Writers alive at once per backend: spawning is most of the cost, so overlap it. */
const LANES = 3;
const WRITER = join(import.meta.dirname, '../helpers/crash-writer.ts');
/**
 * The writer is bundled once into plain JS (beside node_modules, so better-sqlite3 resolves):
 * starting it under `bin/run-ts.mjs` costs ~0.4 s of loader set-up per kill, 600 kills over a minute.
 */
const BUNDLE = join(import.meta.dirname, '../../node_modules/.cache/session-deck/crash-writer.mjs');
const dir = tempDir('sd-crash-');
beforeAll(async () => {
  await build({ entryPoints: [WRITER], outfile: BUNDLE, bundle: true, platform: 'node', format: 'esm', external: ['better-sqlite3'], logLevel: 'error' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load: Record<CrashBackend, (path: string) => Session> = {
  ferogram: (p) => decodeFerogramBinary(new Uint8Array(readFileSync(p))).session,
  telethon: (p) => readSqlite(p, { from: 'telethon' }).session,
};

function writeOld(kind: CrashBackend, path: string, old: Session): void {
  writeOutput(kind === 'ferogram' ? ferogramBinary : telethonSqlite, old, path, { force: true });
}

/**
 * Starts a writer and kills it after `saves` finished saves (0–2) plus a random part of the
 * last save's duration, so kills land before, inside and between saves whatever the speed.
 */
function killWriter(kind: CrashBackend, path: string, jsons: string[], saves: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, kind, path, ...jsons], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    let lines = 0;
    let last = 0;
    let saveMs = 20;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const now = performance.now();
      for (const c of d.toString()) {
        if (c !== '\n') continue;
        if (lines > 0) saveMs = now - last;
        last = now;
        if (lines++ === saves) setTimeout(() => child.kill('SIGKILL'), Math.random() * saveMs * 1.2);
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own: ${err.slice(0, 500)}`))));
  });
}

// Both kinds run side by side: spawning writers is most of the cost.
describe('SIGKILL while saving', () => {
  it.concurrent.for<CrashBackend>(['telethon', 'ferogram'])(
    `%s: ${KILLS} kills, always the old or the new session`,
    { timeout: 300_000 },
    async (kind, { expect }) => {
      const [old, next] = crashSessions(kind);
      const jsons = [old, next].map((s, i) => {
        const file = join(dir, `${kind}-${i}.json`);
        writeFileSync(file, sessionToJson(s));
        return file;
      });
      const seen = { old: 0, next: 0 };
      let kills = 0;
      const lane = async (n: number) => {
        const path = join(dir, `${kind}-${n}.session`);
        writeOld(kind, path, old);
        while (kills < KILLS) {
          kills++;
          await killWriter(kind, path, jsons, Math.floor(Math.random() * 3));
          const got = load[kind](path);
          const which = sameSession(got, old) ? 'old' : sameSession(got, next) ? 'next' : 'neither';
          expect(which, `after kill ${kills}`).not.toBe('neither');
          seen[which as 'old' | 'next']++;
        }
      };
      await Promise.all(Array.from({ length: LANES }, (_, n) => lane(n)));
      expect(seen.old + seen.next).toBe(kills);
      // Kills landed at different points of the save cycle.
      expect(seen.old).toBeGreaterThan(0);
      expect(seen.next).toBeGreaterThan(0);
    },
  );
});

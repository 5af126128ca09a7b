/**
 * Runs inside a private mount namespace whose `dir` is a small tmpfs (see
 * test/unit/full-disk.test.ts): makes sessions there, fills the disk to the last byte, then
 * runs every CLI command that writes, each aimed at the full disk. Prints, as JSON, each
 * command's exit code and stderr and whether the folder is byte for byte what it was.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makeBigTelethon } from '../bench/telethon-big.js';

const dir = process.argv[2]!;
const env = { ...process.env, SESSIONDECK_PASSPHRASE: 'full disk test' };
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/sessiondeck.mjs', ...args], { encoding: 'utf8', env });

/** Every file and folder under `dir` (but the filler), files with their hash. */
function snapshot(at = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(at)) {
    const p = join(at, name);
    if (name === 'filler') continue;
    if (statSync(p).isDirectory()) {
      out[p] = 'folder';
      snapshot(p, out);
    } else {
      out[p] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  }
  return out;
}

function must(r: ReturnType<typeof cli>): void {
  if (r.status !== 0) throw new Error(`setup failed: ${r.stderr}`);
}

const telethon = join(dir, 'a.session');
makeBigTelethon(telethon, 2_000);
must(cli('convert', telethon, '--to', 'pyrogram', '--user', '--api-id', '12345', '-o', join(dir, 'b.session')));
must(cli('backup', telethon, '-o', join(dir, 'old.tar.age')));
const text = cli('export', telethon, '--to', 'telethon-string');
must(text);
mkdirSync(join(dir, 'restored'));

// Fill to the last byte: big chunks, then ever smaller ones, until nothing more fits.
const fd = openSync(join(dir, 'filler'), 'w');
for (let chunk = 1 << 20; chunk >= 1; chunk >>= 1) {
  const buf = Buffer.alloc(chunk);
  try {
    for (;;) writeSync(fd, buf);
  } catch {
    // ENOSPC at this size: try a smaller one.
  }
}
closeSync(fd);

const before = snapshot();
const commands: Record<string, string[]> = {
  'convert to a new SQLite file': ['convert', telethon, '--to', 'pyrogram', '--user', '--api-id', '12345', '-o', join(dir, 'new.session')],
  'convert over an existing file (--force)': ['convert', telethon, '--to', 'pyrogram', '--user', '--api-id', '12345', '-o', join(dir, 'b.session'), '--force'],
  'convert to a folder format': ['convert', telethon, '--to', 'gramjs-store', '-o', join(dir, 'store')],
  'convert to a string file': ['convert', join(dir, 'b.session'), '--to', 'ferogram', '-o', join(dir, 'c.bin')],
  'import a string': ['import', text.stdout.trim(), '--to', 'telethon', '-o', join(dir, 'imported.session')],
  'back up': ['backup', telethon, join(dir, 'b.session'), '-o', join(dir, 'new.tar.age')],
  'back up over an existing archive (--force)': ['backup', telethon, '-o', join(dir, 'old.tar.age'), '--force'],
  'restore': ['restore', join(dir, 'old.tar.age'), '-d', join(dir, 'restored')],
};
const results = Object.entries(commands).map(([what, args]) => {
  const r = cli(...args);
  return { what, status: r.status, stderr: r.stderr, unchanged: JSON.stringify(snapshot()) === JSON.stringify(before) };
});
process.stdout.write(JSON.stringify({ files: Object.keys(before).length, results }));

import { basename, extname, join } from 'node:path';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { SessionError, describeError } from '../../core/errors.js';
import { givenText, lossSummary, prepareConversion, targetFormat, type Conversion } from '../../core/convert/convert.js';
import { writeConverted, writeTdataOutput } from '../../core/convert/write-output.js';
import { inputKind } from '../../core/formats/detect.js';
import { storeRefOf, writeStoreSession } from '../../core/store/session-refs.js';
import type { StoreFormatId } from '../../core/store/session-store.js';
import { parseStoreAddress, storeRef } from '../../core/store/store-url.js';
import { readTdataAccounts, tdata } from '../../core/formats/tdata-format.js';
import type { ReadResult } from '../../core/formats/types.js';
import type { SessionFormat } from '../../core/formats/types.js';
import { GIVEN_OPTIONS, accountOption, flag, formatOption, givenFields, inputArg, parse, str, type Command } from '../args.js';
import type { CliIo } from '../io.js';
import { newPasscode, PASSPHRASE_ENV, withPasscode } from '../passphrase.js';
import { backUpBeforeChange } from '../auto-backup.js';
import { cliStoreOpener, readCliInput, sidecarOfInput } from '../stores.js';

export const CONVERT_OPTIONS = {
  to: { type: 'string' },
  from: { type: 'string' },
  account: { type: 'string' },
  passcode: { type: 'boolean' },
  v1: { type: 'boolean' },
  legacy: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-sidecar': { type: 'boolean' },
  ...GIVEN_OPTIONS,
} as const;

/** convert and import: parse, then the target format and the output path both required. */
export function parseTargetAndOutput(argv: string[]) {
  const parsed = parse(argv, { ...CONVERT_OPTIONS, out: { type: 'string', short: 'o' } });
  const to = str(parsed.values, 'to');
  const out = str(parsed.values, 'out');
  if (!to) throw new SessionError('usage', '--to <format> is required');
  if (!out) throw new SessionError('usage', '-o <output> is required');
  return { ...parsed, target: targetFormat(to), out };
}

export const SIDECAR_USAGE = `  --no-sidecar   do not write a copy of the source's .json sidecar beside the output
                 (its user id and api_id still fill what the target needs)`;

export const TDATA_USAGE = `  --account N    of a Telegram Desktop tdata, the account N (from 1, in Desktop's order)
                 (without it, a tdata converts every account: -o is then a folder)
  --passcode     --to tdata: lock it with a passcode (asked, or SESSIONDECK_TDATA_PASSCODE);
                 a tdata read with a passcode takes it the same way`;

export const GIVEN_USAGE = `  --user-id N    own user id, when the target needs it and the source lacks it (else from its sidecar)
  --bot | --user whether the account is a bot, when the target needs it
  --api-id N     api_id, when the target needs it
  --test | --production  which servers, when the target stores it and the DC address does not tell`;

const extOf = (target: SessionFormat) => (target.medium === 'string' ? '.txt' : target.medium === 'folder' ? '' : '.session');

function outputName(input: string, target: SessionFormat): string {
  return `${basename(input, extname(input))}${extOf(target)}`;
}

export function reportLines(c: Conversion): string[] {
  return [...c.given.map((g) => `given: ${givenText(g)}`), ...c.losses.map((l) => `lost: ${l.text}`), `summary: ${lossSummary(c)}`];
}

export const convertCommand: Command = {
  usage: `sessiondeck convert <input…> --to <format> -o <output> [options]

  one input:     -o is the output file (or folder for gramjs-store and tdata)
  into a store:  --to telethon-alchemy | mtcute-postgres | telethon-redis, -o <store URL>#<session id>
                 (many inputs: -o <store URL>, each under its file name); --force replaces one
                 that exists, after an automatic encrypted backup of it (passphrase: ${PASSPHRASE_ENV} or asked)
  many inputs:   -o is a folder; each is converted on its own, a bad one does not stop the rest
                 (--to tdata: one tdata holding them all, in the order given)
  --to F         target format (see \`sessiondeck formats\`)
  --from F       read inputs as format F when they fit more than one
  --v1, --legacy ferogram-compact V1 / pyrogram old 64-bit layout
  --force        overwrite an existing output (and its sidecar)
${TDATA_USAGE}
${SIDECAR_USAGE}
${GIVEN_USAGE}`,
  async run(argv, io) {
    const { values, positionals, target, out } = parseTargetAndOutput(argv);
    if (positionals.length === 0) throw new SessionError('usage', 'give at least one input');
    const opts = convertOptions(values);
    if (target.id === 'tdata') return toTdata(positionals.map((p) => inputArg(p, io)), out, opts, io);
    if (target.medium === 'store') return toStore(positionals.map((p) => inputArg(p, io)), target, out, opts, io);
    // `-o dir/` (a trailing separator) or an existing folder: the outputs go inside it.
    const intoFolder = (/[\\/]$/.test(out) || (existsSync(out) && statSync(out).isDirectory())) && target.medium !== 'folder';
    if (positionals.length === 1) {
      const input = inputArg(positionals[0]!, io);
      const reads = await readAll(input, opts);
      if (reads.length === 1 && !intoFolder) {
        writeOne(reads[0]!, input, target, out, opts, io);
        return 0;
      }
    }
    mkdirSync(out, { recursive: true });
    let ok = 0;
    const failed: string[] = [];
    for (const input of positionals) {
      try {
        const reads = await readAll(input, opts);
        // The accounts of a tdata are named by user id; anything else after its own name.
        for (const r of reads) writeOne(r, input, target, join(out, r.tdata ? `${r.session.user!.id}${extOf(target)}` : outputName(input, target)), opts, io);
        ok++;
      } catch (e) {
        failed.push(input);
        io.err(`${input}: ${describeError(e)}`);
      }
    }
    io.out(`${ok} converted, ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`);
    return failed.length === 0 ? 0 : 1;
  },
};

export interface ConvertOptions {
  from?: SessionFormat['id'];
  /** Of a tdata: this account only (counted from 1). */
  account?: number;
  /** --to tdata: lock it with a passcode. */
  passcode: boolean;
  given: ReturnType<typeof givenFields>;
  legacy: boolean;
  force: boolean;
  /** Whether a copy of the source's sidecar is written beside the output. */
  sidecar: boolean;
}

/** The options convert and import share, from their parsed flags. */
export function convertOptions(values: ReturnType<typeof parseTargetAndOutput>['values']): ConvertOptions {
  return {
    from: formatOption(values, 'from'),
    account: accountOption(values),
    passcode: flag(values, 'passcode'),
    given: givenFields(values),
    legacy: flag(values, 'v1') || flag(values, 'legacy'),
    force: flag(values, 'force'),
    sidecar: !flag(values, 'no-sidecar'),
  };
}

/** One reading of an input (of a tdata: the first account, or --account's; a session in a store). */
const readOne = (input: string, opts: ConvertOptions) => readCliInput(input, { from: opts.from, account: opts.account });

/** One reading of an input, or every account of a tdata when no --account picks one. */
async function readAll(input: string, opts: ConvertOptions): Promise<ReadResult[]> {
  if (opts.account !== undefined || inputKind(input) !== 'folder' || !tdata.matches(input)) return [await readOne(input, opts)];
  return withPasscode((passcode) => readTdataAccounts(input, { passcode }));
}

/** Reads, converts and writes one input (with its sidecar), printing the report. */
export async function convertOne(input: string, target: SessionFormat, out: string, opts: ConvertOptions, io: CliIo): Promise<void> {
  if (target.medium === 'store') {
    await toStore([input], target, out, opts, io);
    return;
  }
  writeOne(await readOne(input, opts), input, target, out, opts, io);
}

function writeOne(read: ReadResult, input: string, target: SessionFormat, out: string, opts: ConvertOptions, io: CliIo): void {
  const sidecar = sidecarOfInput(input);
  const c = prepareConversion(read.session, read.format, target.id, opts.given, sidecar);
  const written = writeConverted(target, c.session, out, { legacy: opts.legacy, force: opts.force, sidecar: opts.sidecar ? sidecar : undefined });
  io.out(`${out}: ${read.format}${read.tdata ? ` account ${read.tdata.account}` : ''} → ${target.id}`);
  const lines = [...(read.inferences ?? []).map((i) => `inferred: ${i}`), ...reportLines(c)];
  if (written) lines.push(`sidecar: ${written} (a copy of ${sidecar!.name})`);
  for (const line of lines) io.out(`  ${line}`);
}

/** Every input (each account of a tdata input) into one new tdata, in the order given. */
async function toTdata(inputs: string[], out: string, opts: ConvertOptions, io: CliIo): Promise<number> {
  const reads: { read: ReadResult; input: string }[] = [];
  for (const input of inputs) for (const read of await readAll(input, opts)) reads.push({ read, input });
  const conversions = reads.map(({ read, input }) => ({
    read,
    c: prepareConversion(read.session, read.format, 'tdata', opts.given, sidecarOfInput(input)),
  }));
  const passcode = opts.passcode ? await newPasscode() : undefined;
  const warnings = writeTdataOutput(out, conversions.map((x) => x.c.session), { passcode, force: opts.force });
  io.out(`${out}: ${conversions.length} account(s) → tdata${passcode ? ', locked with a passcode' : ''}`);
  conversions.forEach(({ read, c }, i) => {
    io.out(`  account ${i + 1}: user ${c.session.user!.id} (${read.format})`);
    for (const line of reportLines(c)) io.out(`    ${line}`);
  });
  for (const w of warnings) io.out(`  warning: ${w}`);
  return 0;
}

/**
 * Inputs into a store, each in its own transaction: under -o's `#<session id>` (one input), else
 * each under its own name (a file's stem, a store session's id); a bad one does not stop the rest.
 */
async function toStore(inputs: string[], target: SessionFormat, out: string, opts: ConvertOptions, io: CliIo): Promise<number> {
  const dest = storeRefOf(out);
  if (!dest) throw new SessionError('usage', `--to ${target.id}: -o is a store, as <store URL>#<session id>`);
  if (dest.id !== undefined && inputs.length > 1) throw new SessionError('usage', 'many inputs into a store: give -o the store without #<session id>; each keeps its own name');
  let ok = 0;
  const failed: string[] = [];
  for (const input of inputs) {
    try {
      const id = dest.id ?? storeIdOf(input);
      const read = await readOne(input, opts);
      const c = prepareConversion(read.session, read.format, target.id, opts.given, sidecarOfInput(input));
      const shown = storeRef(parseStoreAddress(dest.store).display, id);
      const { backup } = await writeStoreSession({ store: dest.store, id }, c.session, { replace: opts.force, create: target.id as StoreFormatId, beforeReplace: () => backUpBeforeChange(storeRef(dest.store, id)) }, cliStoreOpener);
      io.out(`${shown}: ${read.format} → ${target.id}${backup ? ` (replaced; the one before is backed up to ${backup})` : ''}`);
      for (const line of [...(read.inferences ?? []).map((i) => `inferred: ${i}`), ...reportLines(c)]) io.out(`  ${line}`);
      ok++;
    } catch (e) {
      if (inputs.length === 1) throw e;
      failed.push(input);
      io.err(`${input}: ${describeError(e)}`);
    }
  }
  if (inputs.length > 1) io.out(`${ok} converted, ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`);
  return failed.length === 0 ? 0 : 1;
}

/** The session id an input keeps in a store: a store session's own id, else the file's name without its extension. */
function storeIdOf(input: string): string {
  const ref = storeRefOf(input);
  if (ref?.id !== undefined) return ref.id;
  if (inputKind(input) === 'string') throw new SessionError('usage', 'a session string has no name: give -o <store URL>#<session id>');
  return basename(input, extname(input));
}

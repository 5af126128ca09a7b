import { basename, extname, join } from 'node:path';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { SessionError, describeError } from '../../core/errors.js';
import { prepareConversion, lossSummary, targetFormat, type Conversion } from '../../core/convert/convert.js';
import { writeConverted } from '../../core/convert/write-output.js';
import { inputKind, readInput } from '../../core/formats/detect.js';
import { namedSidecarOf } from '../../core/sidecar/files.js';
import type { SessionFormat } from '../../core/formats/types.js';
import { GIVEN_OPTIONS, flag, formatOption, givenFields, inputArg, parse, str, type CliIo, type Command } from '../args.js';

export const CONVERT_OPTIONS = {
  to: { type: 'string' },
  from: { type: 'string' },
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

export const GIVEN_USAGE = `  --user-id N    own user id, when the target needs it and the source lacks it (else from its sidecar)
  --bot | --user whether the account is a bot, when the target needs it
  --api-id N     api_id, when the target needs it
  --test | --production  which servers, when the target stores it and the DC address does not tell`;

function outputName(input: string, target: SessionFormat): string {
  const stem = basename(input, extname(input));
  const ext = target.medium === 'string' ? '.txt' : target.medium === 'folder' ? '' : '.session';
  return `${stem}${ext}`;
}

export function reportLines(c: Conversion): string[] {
  return [...c.given.map((g) => `given: ${g}`), ...c.losses.map((l) => `lost: ${l.text}`), `summary: ${lossSummary(c)}`];
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert one or many sessions to another format, with a loss report',
  usage: `sessiondeck convert <input…> --to <format> -o <output> [options]

  one input:     -o is the output file (or folder for gramjs-store)
  many inputs:   -o is a folder; each is converted on its own, a bad one does not stop the rest
  --to F         target format (see \`sessiondeck formats\`)
  --from F       read inputs as format F when they fit more than one
  --v1, --legacy ferogram-compact V1 / pyrogram old 64-bit layout
  --force        overwrite an existing output (and its sidecar)
${SIDECAR_USAGE}
${GIVEN_USAGE}`,
  run(argv, io) {
    const { values, positionals, target, out } = parseTargetAndOutput(argv);
    if (positionals.length === 0) throw new SessionError('usage', 'give at least one input');
    const opts = convertOptions(values);
    if (positionals.length === 1 && !(existsSync(out) && statSync(out).isDirectory() && target.medium !== 'folder')) {
      convertOne(inputArg(positionals[0]!, io), target, out, opts, io);
      return 0;
    }
    mkdirSync(out, { recursive: true });
    let ok = 0;
    const failed: string[] = [];
    for (const input of positionals) {
      try {
        convertOne(input, target, join(out, outputName(input, target)), opts, io);
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
    given: givenFields(values),
    legacy: flag(values, 'v1') || flag(values, 'legacy'),
    force: flag(values, 'force'),
    sidecar: !flag(values, 'no-sidecar'),
  };
}

/** Reads, converts and writes one input (with its sidecar), printing the report. */
export function convertOne(input: string, target: SessionFormat, out: string, opts: ConvertOptions, io: CliIo): void {
  const read = readInput(input, { from: opts.from });
  const sidecar = inputKind(input) === 'string' ? undefined : namedSidecarOf(input);
  const c = prepareConversion(read.session, read.format, target.id, opts.given, sidecar);
  const written = writeConverted(target, c.session, out, { legacy: opts.legacy, force: opts.force, sidecar: opts.sidecar ? sidecar : undefined });
  io.out(`${out}: ${read.format} → ${target.id}`);
  const lines = [...(read.inferences ?? []).map((i) => `inferred: ${i}`), ...reportLines(c)];
  if (written) lines.push(`sidecar: ${written} (a copy of ${sidecar!.name})`);
  for (const line of lines) io.out(`  ${line}`);
}

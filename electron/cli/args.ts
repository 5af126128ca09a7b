/** Small helpers over node:util parseArgs shared by every command. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SessionError } from '../core/errors.js';
import type { CliIo } from './io.js';
import type { GivenFields } from '../core/convert/convert.js';
import type { FormatId } from '../core/formats/types.js';
import { formatById } from '../core/formats/registry.js';

/** A command's usage text and its run (its name and summary are in commands/index.ts). */
export interface Command {
  usage: string;
  run(argv: string[], io: CliIo): Promise<number> | number;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export const HELP: Options = { help: { type: 'boolean', short: 'h' } };

export const GIVEN_OPTIONS: Options = {
  'user-id': { type: 'string' },
  bot: { type: 'boolean' },
  user: { type: 'boolean' },
  'api-id': { type: 'string' },
  test: { type: 'boolean' },
  production: { type: 'boolean' },
};

export function parse(argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, options: { ...HELP, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new SessionError('usage', (e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

type Values = ReturnType<typeof parse>['values'];

export function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function flag(values: Values, key: string): boolean {
  return values[key] === true;
}

export function formatOption(values: Values, key: string): FormatId | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!formatById(v)) throw new SessionError('usage', `unknown format "${v}" (see \`sessiondeck formats\`)`);
  return v as FormatId;
}

/** --account N: one account of a Telegram Desktop tdata, counted from 1. */
export function accountOption(values: Values): number | undefined {
  const v = str(values, 'account');
  if (v !== undefined && !/^[1-9]\d{0,2}$/.test(v)) throw new SessionError('usage', `--account must be a number from 1, not "${v}"`);
  return v === undefined ? undefined : Number(v);
}

export function givenFields(values: Values): GivenFields {
  const g: GivenFields = {};
  const uid = str(values, 'user-id');
  if (uid !== undefined) {
    if (!/^-?\d{1,19}$/.test(uid)) throw new SessionError('usage', `--user-id must be an integer, not "${uid}"`);
    g.userId = BigInt(uid);
  }
  if (flag(values, 'bot') && flag(values, 'user')) throw new SessionError('usage', '--bot and --user contradict each other');
  if (flag(values, 'bot')) g.isBot = true;
  if (flag(values, 'user')) g.isBot = false;
  if (flag(values, 'test') && flag(values, 'production')) throw new SessionError('usage', '--test and --production contradict each other');
  if (flag(values, 'test')) g.testMode = true;
  if (flag(values, 'production')) g.testMode = false;
  const api = str(values, 'api-id');
  if (api !== undefined) {
    if (!/^\d{1,10}$/.test(api) || Number(api) > 0xffffffff) throw new SessionError('usage', `--api-id must be a positive integer, not "${api}"`);
    g.apiId = Number(api);
  }
  return g;
}

/** `-` means standard input; a path to a text file is read by the detector itself. */
export function inputArg(arg: string, io: CliIo): string {
  return arg === '-' ? io.stdin() : arg;
}

export function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new SessionError('usage', `expected one ${what}, got ${positionals.length}`);
  return positionals[0]!;
}

/**
 * Conversion = read into the model, check what the target requires, project onto what it can
 * hold (with the loss report), write out. Values the target needs and the source lacks are
 * taken from the user (userId, isBot, apiId) or the conversion refuses: nothing is invented.
 */
import { SessionError } from '../errors.js';
import type { Session } from '../model/session.js';
import type { NamedSidecar } from '../sidecar/codec.js';
import { homeDcEntry } from '../model/session.js';
import { selfIsBot } from '../model/self-user.js';
import { testModeFromAddress } from '../model/dc-table.js';
import { formatById } from '../formats/registry.js';
import type { FormatId, SessionFormat, WriteOptions } from '../formats/types.js';
import { projectSession, type Loss } from './project.js';

export interface GivenFields {
  userId?: bigint;
  isBot?: boolean;
  apiId?: number;
  testMode?: boolean;
}

export interface Conversion {
  target: SessionFormat;
  session: Session;
  losses: Loss[];
  /** Values the user supplied, a sidecar held or we inferred, that the source did not have. */
  given: GivenValue[];
}

/** Where a value the source lacked came from. */
export type GivenSource = { by: 'user' } | { by: 'sidecar'; file: string } | { by: 'inference'; from: string };

export interface GivenValue {
  /** The value, as the report names it ("user id 42", "account is a bot", "api_id 2040"). */
  what: string;
  source: GivenSource;
}

/** One report line; `byUser` is how the caller's user gave values (the CLI: on the command line). */
export function givenText(g: GivenValue, byUser = 'given on the command line'): string {
  switch (g.source.by) {
    case 'user':
      return `${g.what}: ${byUser}`;
    case 'sidecar':
      return `${g.what} from ${g.source.file}`;
    case 'inference':
      return `${g.what}: inferred from ${g.source.from}`;
  }
}

const FLAG: Record<string, string> = { user: '--user-id', isBot: '--bot or --user', apiId: '--api-id', authKey: '' };

export function targetFormat(id: string): SessionFormat {
  const f = formatById(id);
  if (!f) throw new SessionError('usage', `unknown format "${id}"`);
  return f;
}

function applyGiven(source: Session, given: GivenFields, origins: Origins = {}): { session: Session; lines: GivenValue[] } {
  const from = (k: keyof GivenFields): GivenSource => (origins[k] === undefined ? { by: 'user' } : { by: 'sidecar', file: origins[k] });
  const s: Session = { ...source, user: source.user ? { ...source.user } : undefined };
  const lines: GivenValue[] = [];
  if (given.userId !== undefined) {
    if (s.user && s.user.id !== given.userId) {
      throw new SessionError('usage', `--user-id ${given.userId} contradicts the user id ${s.user.id} stored in the session`);
    }
    if (!s.user) lines.push({ what: `user id ${given.userId}`, source: from('userId') });
    s.user = { ...s.user, id: given.userId };
  }
  if (given.isBot !== undefined) {
    if (!s.user) throw new SessionError('usage', 'the bot flag needs a user id (give --user-id)');
    if (s.user.isBot !== undefined && s.user.isBot !== given.isBot) {
      throw new SessionError('usage', `the session says the account ${s.user.isBot ? 'is' : 'is not'} a bot`);
    }
    if (s.user.isBot === undefined) lines.push({ what: `account is ${given.isBot ? 'a bot' : 'a user'}`, source: from('isBot') });
    s.user.isBot = given.isBot;
  }
  if (given.apiId !== undefined) {
    if (s.apiId !== undefined && s.apiId !== given.apiId) {
      throw new SessionError('usage', `--api-id ${given.apiId} contradicts the api_id ${s.apiId} stored in the session`);
    }
    if (s.apiId === undefined) lines.push({ what: `api_id ${given.apiId}`, source: from('apiId') });
    s.apiId = given.apiId;
  }
  if (given.testMode !== undefined) {
    if (s.testMode !== undefined && s.testMode !== given.testMode) {
      throw new SessionError('usage', `the session says it is for ${s.testMode ? 'test' : 'production'} servers`);
    }
    if (s.testMode === undefined) lines.push({ what: `${given.testMode ? 'test' : 'production'} servers`, source: from('testMode') });
    s.testMode = given.testMode;
  }
  return { session: s, lines };
}

/**
 * A target that stores test mode (Pyrogram, mtcute) gets it from the home DC address when the
 * source does not say; an address in neither DC table makes the user say it.
 */
function settleTestMode(s: Session, target: SessionFormat, lines: GivenValue[]): void {
  if (!target.capabilities.testMode || s.testMode !== undefined) return;
  const home = homeDcEntry(s);
  const inferred = home ? testModeFromAddress(home.address) : undefined;
  if (inferred === undefined) {
    throw new SessionError(
      'missing-field',
      `${target.id} stores whether the session is for test servers, and the home DC address does not tell: give --test or --production`,
    );
  }
  s.testMode = inferred;
  lines.push({ what: `${inferred ? 'test' : 'production'} servers`, source: { by: 'inference', from: `the home DC address ${home!.address}` } });
}

export type Requirement = SessionFormat['capabilities']['requires'][number];

/**
 * What the target needs that the session does not hold: its declared requirements, and the
 * bot flag wherever it keeps the user id with it ('id-and-bot') and a user id is there (a
 * writer cannot store one without the other). The one place that decides it: the preview asks
 * for these fields, the conversion refuses without them.
 */
export function unmet(s: Session, target: SessionFormat): Requirement[] {
  const needs = new Set<Requirement>(target.capabilities.requires);
  if (target.capabilities.user === 'id-and-bot' && s.user !== undefined) needs.add('isBot');
  return [...needs].filter((req) =>
    req === 'user' ? s.user === undefined
    : req === 'isBot' ? selfIsBot(s) === undefined
    : req === 'apiId' ? s.apiId === undefined
    : homeDcEntry(s)?.authKey === undefined,
  );
}

/** The fields still to ask for: what `unmet` finds once the user's and the sidecar's values are applied. */
export function missingFields(source: Session, targetId: string, given: GivenFields = {}, sidecar?: NamedSidecar): Requirement[] {
  const target = targetFormat(targetId);
  const side = fromSidecar(source, target, given, sidecar);
  return unmet(applyGiven(source, side.given, side.origins).session, target);
}

function checkRequired(s: Session, target: SessionFormat, sourceName: string): void {
  const [req] = unmet(s, target);
  if (req === undefined) return;
  if (req === 'authKey') {
    throw new SessionError('missing-field', `${target.id} needs an auth key for the home DC, and ${sourceName} has none`);
  }
  const what = req === 'user' ? 'the own user id' : req === 'isBot' ? 'whether the account is a bot' : 'the api_id';
  throw new SessionError('missing-field', `${target.id} needs ${what}, which ${sourceName} does not hold: give ${FLAG[req]}`);
}

/** The sidecar file a given value came from (the user gave the others). */
type Origins = Partial<Record<keyof GivenFields, string>>;

/**
 * What a sidecar can supply that the session lacks and the user did not give: the user id,
 * the bot flag and api_id, each named with the file it came from. The session and the command
 * line come first; a sidecar that disagrees with the session is a warning elsewhere, not used.
 */
function fromSidecar(s: Session, target: SessionFormat, given: GivenFields, side: NamedSidecar | undefined): { given: GivenFields; origins: Origins } {
  const out: GivenFields = { ...given };
  const origins: Origins = {};
  if (!side) return { given: out, origins };
  const a = side.sidecar.account;
  const caps = target.capabilities;
  // Only what the target keeps: a value taken here and dropped again would be noise in the report.
  const take = <K extends 'userId' | 'isBot' | 'apiId'>(k: K, kept: boolean, inSession: boolean, value: GivenFields[K] | undefined) => {
    if (!kept || inSession || out[k] !== undefined || value === undefined) return;
    out[k] = value;
    origins[k] = side.name;
  };
  take('userId', caps.user !== 'none', s.user !== undefined, a.userId);
  if (s.user !== undefined || out.userId !== undefined) take('isBot', caps.user === 'id-and-bot', s.user?.isBot !== undefined, a.isBot);
  take('apiId', caps.apiId, s.apiId !== undefined, side.sidecar.client.apiId);
  return { given: out, origins };
}

export function prepareConversion(
  source: Session,
  sourceFormat: FormatId | string,
  targetId: string,
  given: GivenFields = {},
  sidecar?: NamedSidecar,
): Conversion {
  const target = targetFormat(targetId);
  const side = fromSidecar(source, target, given, sidecar);
  const { session, lines } = applyGiven(source, side.given, side.origins);
  checkRequired(session, target, sourceFormat);
  settleTestMode(session, target, lines);
  const projected = projectSession(session, target.capabilities, target.id);
  return { target, session: projected.session, losses: projected.losses, given: lines };
}

export function lossSummary(c: Conversion): string {
  const peers = c.session.peers.length;
  const kept = `${peers.toLocaleString('en-US')} ${peers === 1 ? 'peer' : 'peers'} carried`;
  return c.losses.length === 0 ? `nothing lost; ${kept}` : `${c.losses.map((l) => l.text).join('; ')}; ${kept}`;
}

export type { WriteOptions };

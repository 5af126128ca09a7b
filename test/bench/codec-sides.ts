/**
 * The sides of the string-codec race: our codec of a format, and each rival library that
 * reads it (GramJS's StringSession; mtcute's @mtcute/convert, and @mtcute/core for its own
 * format). Every side turns pool index i into one decode or one encode call.
 */
import { parseGramjsSession, parsePyrogramSession, parseTelethonSession, serializeGramjsSession, serializePyrogramSession, serializeTelethonSession } from '@mtcute/convert';
import { readStringSession, writeStringSession } from '@mtcute/core/utils.js';
import { StringSession } from 'telegram/sessions/index.js';
import { formatById } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import type { Session } from '../../electron/core/model/session.js';

export const OURS = 'Session Deck';

interface Rival {
  name: string;
  decode(text: string): unknown;
  /** What `encode` serializes, when decode's result is not enough (GramJS loads the key first). */
  prepare?(text: string): Promise<unknown>;
  encode(parsed: unknown): string;
}

/** Each rival parses into its own object and serializes that object back. */
const RIVALS: Partial<Record<string, Rival[]>> = {
  'telethon-string': [
    { name: 'mtcute', decode: parseTelethonSession, encode: (p) => serializeTelethonSession(p as ReturnType<typeof parseTelethonSession>) },
  ],
  'gramjs-string': [
    {
      name: 'GramJS',
      decode: (t) => new StringSession(t),
      prepare: async (t) => {
        const s = new StringSession(t);
        await s.load();
        return s;
      },
      encode: (p) => (p as StringSession).save(),
    },
    { name: 'mtcute', decode: parseGramjsSession, encode: (p) => serializeGramjsSession(p as ReturnType<typeof parseGramjsSession>) },
  ],
  'pyrogram-string': [
    { name: 'mtcute', decode: parsePyrogramSession, encode: (p) => serializePyrogramSession(p as ReturnType<typeof parsePyrogramSession>) },
  ],
  'mtcute-string': [
    { name: 'mtcute', decode: (t) => readStringSession(t), encode: (p) => writeStringSession(p as ReturnType<typeof readStringSession>) },
  ],
};

export const rivalsOf = (format: string): string[] => (RIVALS[format] ?? []).map((r) => r.name);

export type Op = 'decode' | 'encode';
export type Side = Record<Op, (i: number) => unknown>;

/** One side over the pools (our texts and the sessions they encode), checked to write back what it read. */
export async function buildSide(format: string, name: string, texts: readonly string[], sessions: readonly Session[]): Promise<Side> {
  if (name === OURS) {
    const f = formatById(format) as StringFormat;
    return { decode: (i) => f.decode(texts[i]!), encode: (i) => f.encode(sessions[i]!) };
  }
  const r = RIVALS[format]?.find((x) => x.name === name);
  if (!r) throw new Error(`${name} does not read ${format}`);
  const parsed = r.prepare ? await Promise.all(texts.map((t) => r.prepare!(t))) : texts.map((t) => r.decode(t));
  if (r.encode(parsed[0]) !== texts[0]) throw new Error(`${r.name} does not write back the ${format} string it read`);
  return { decode: (i) => r.decode(texts[i]!), encode: (i) => r.encode(parsed[i]) };
}

/**
 * Every pair of formats converts, and re-reading the output gives the source session minus
 * exactly what the loss report names (the projection onto the target's capabilities).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { FORMATS } from '../../electron/core/formats/registry.js';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { projectSession } from '../../electron/core/convert/project.js';
import { normalizeSession } from '../../electron/core/model/normalize.js';
import { fullSession } from '../helpers/sessions.js';
import { readWith, tempDir, writeWith } from '../helpers/format-io.js';

const dir = tempDir('sd-matrix-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(FORMATS.map((f) => [f.id, f] as const))('from %s', (_id, source) => {
  // The source file as that library would hold our full session.
  const sourceSession = projectSession(fullSession(), source.capabilities, source.id).session;
  const sourceRead = readWith(source, writeWith(source, sourceSession, dir));

  it('reads back exactly its own projection', () => {
    expect(normalizeSession(sourceRead.session)).toEqual(normalizeSession(sourceSession));
  });

  it.each(FORMATS.map((f) => [f.id, f] as const))('to %s', (_tid, target) => {
    const given = {
      userId: sourceRead.session.user ? undefined : 777_000_123n,
      isBot: sourceRead.session.user?.isBot === undefined ? false : undefined,
      apiId: sourceRead.session.apiId === undefined ? 611335 : undefined,
    };
    const c = prepareConversion(sourceRead.session, source.id, target.id, given);
    const back = readWith(target, writeWith(target, c.session, dir));
    expect(normalizeSession(back.session)).toEqual(normalizeSession(c.session));
    // Every field the report does not name survived: the projection is the only difference.
    const named = new Set(c.losses.map((l) => l.field.split('.')[0]));
    const facts = (s: typeof back.session) => ({
      peers: s.peers.length,
      updates: s.updates.pts,
      channelPts: s.updates.channels.size,
      minPeers: s.minPeers.length,
    });
    const unnamed = (f: ReturnType<typeof facts>) => Object.entries(f).filter(([k]) => !named.has(k));
    expect(unnamed(facts(back.session))).toEqual(unnamed(facts(sourceRead.session)));
  });
});

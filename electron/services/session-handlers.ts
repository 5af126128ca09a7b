/**
 * The session view's channels: open, close, the peer pages, the min-peer rows, and an edit in
 * place (the encrypted automatic backup of the original first, always).
 */
import { resolve } from 'node:path';
import type { EditOp } from '../../shared/contract.js';
import { loginKeyOf } from '../core/accounts/login-key.js';
import { prepareConversion, targetFormat } from '../core/convert/convert.js';
import { writeOutput } from '../core/convert/write-output.js';
import { SessionError } from '../core/errors.js';
import { editableInPlace } from '../core/formats/registry.js';
import type { ReadResult } from '../core/formats/types.js';
import type { Session } from '../core/model/session.js';
import type { ServiceContext } from './context.js';
import type { Handlers } from './handlers.js';

type SessionChannels = 'session.open' | 'session.close' | 'session.peers' | 'session.minPeers' | 'edit.apply';

export function sessionHandlers({ library, sessions, auto, openRef, libraryPath }: ServiceContext): Pick<Handlers, SessionChannels> {
  return {
    'session.open': async ({ ref }) => {
      const s = await openRef(ref);
      return { ref: s.ref, summary: s.summary };
    },
    'session.close': ({ ref }) => {
      sessions.close(ref);
      return { ok: true as const };
    },
    'session.peers': async ({ ref, query, start, limit }) => (await openRef(ref)).peers.page(query, start, limit),
    'session.minPeers': async ({ ref, start, limit }) => {
      const all = (await (await openRef(ref)).full()).session.minPeers;
      return {
        rows: all.slice(start, start + limit).map((m) => ({ userId: m.userId.toString(), peerId: m.peerId.toString(), msgId: m.msgId })),
        total: all.length,
      };
    },
    'edit.apply': async ({ path, op }) => {
      const abs = resolve(path);
      const root = libraryPath(abs);
      const r = await sessions.open(abs).full();
      const format = targetFormat(r.format);
      if (!editableInPlace(format)) throw new SessionError('unsupported', `${abs}: a ${format.label} is not edited in place; convert it instead`);
      const edited = applyEdit(r, op);
      // The edit writes the same format back; the encrypted backup of the original is taken first, always.
      const backup = await auto.beforeEdit({ path: abs, format: r.format, userId: r.session.user?.id ?? null });
      const c = prepareConversion(edited, format.id, format.id);
      writeOutput(format, c.session, abs, { force: true });
      // A new home DC is another login key: the labels come along (the old key keeps its own, for other copies).
      const [before, after] = [loginKeyOf(r.session), loginKeyOf(c.session)];
      if (before !== null && after !== null && before !== after) library.labels.merge(after, library.labels.get(before));
      const reopened = sessions.open(abs);
      void library.scan([root]).catch(() => undefined);
      return { backup, summary: reopened.summary };
    },
  };
}

function applyEdit(r: ReadResult, op: EditOp): Session {
  const s: Session = { ...r.session, dcs: r.session.dcs.map((d) => ({ ...d })) };
  switch (op.type) {
    case 'setHomeDc':
      if (!s.dcs.some((d) => d.id === op.dc)) throw new SessionError('usage', `DC ${op.dc} is not in this session's DC table`);
      s.homeDc = op.dc;
      return s;
    case 'removeDcKey': {
      const hit = s.dcs.filter((d) => d.id === op.dc && d.authKey !== undefined);
      if (hit.length === 0) throw new SessionError('usage', `DC ${op.dc} holds no auth key`);
      for (const d of hit) delete d.authKey;
      return s;
    }
    case 'clearPeers':
      return { ...s, peers: [], minPeers: [] };
  }
}

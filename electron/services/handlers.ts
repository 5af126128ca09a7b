/**
 * The handler table's type and the one entry into it: `dispatch` validates a request against
 * the contract, runs its handler, and turns every failure into a one-line envelope. The IPC
 * registration, the web server and the core worker all call it.
 */
import { CHANNELS, checkAgainst, ContractError, isChannel, parseRequest, type ChannelName, type Envelope, type ParsedReq, type Res } from '../../shared/contract.js';
import { describeError, isSessionError } from '../core/errors.js';

/**
 * Set by the test runs (vitest's config, the e2e server): every reply and event is checked
 * against its schema in the contract, so a handler that drifts from it fails a test instead
 * of reaching the UI. Off in the app: the contract types the handlers already.
 */
export const CHECK_REPLIES = process.env.SESSIONDECK_CHECK_REPLIES === '1';

export type Handlers = { [K in ChannelName]: (req: ParsedReq<K>) => Promise<Res<K>> | Res<K> };

/** One request in, one envelope out: `dispatch` over these handlers, or the same through the core worker. */
export type Dispatch = (name: string, payload: unknown) => Promise<Envelope<unknown>>;

/** Validates and runs one request; every failure becomes one line in the envelope. */
export async function dispatch(handlers: Handlers, name: string, payload: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(name)) throw new ContractError('unknown-channel', `unknown channel "${name.slice(0, 60)}"`);
    const req = parseRequest(name, payload);
    const handler = handlers[name] as (r: unknown) => Promise<unknown> | unknown;
    const data = await handler(req);
    if (CHECK_REPLIES) checkAgainst(CHANNELS[name].response, `the reply of ${name}`, data);
    return { ok: true, data };
  } catch (e) {
    const code = e instanceof ContractError || isSessionError(e) ? e.code : 'internal';
    return { ok: false, error: describeError(e), code };
  }
}

/**
 * The handler table's type and the one entry into it: `dispatch` validates a request against
 * the contract, runs its handler, and turns every failure into a one-line envelope. The IPC
 * registration, the web server and the core worker all call it.
 */
import { ContractError, isChannel, parseRequest, type ChannelName, type Envelope, type ParsedReq, type Res } from '../../shared/contract.js';
import { describeError, isSessionError } from '../core/errors.js';

export type Handlers = { [K in ChannelName]: (req: ParsedReq<K>) => Promise<Res<K>> | Res<K> };

/** One request in, one envelope out: `dispatch` over these handlers, or the same through the core worker. */
export type Dispatch = (name: string, payload: unknown) => Promise<Envelope<unknown>>;

/** Validates and runs one request; every failure becomes one line in the envelope. */
export async function dispatch(handlers: Handlers, name: string, payload: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(name)) throw new ContractError('unknown-channel', `unknown channel "${name.slice(0, 60)}"`);
    const req = parseRequest(name, payload);
    const handler = handlers[name] as (r: unknown) => Promise<unknown> | unknown;
    return { ok: true, data: await handler(req) };
  } catch (e) {
    const code = e instanceof ContractError || isSessionError(e) ? e.code : 'internal';
    return { ok: false, error: describeError(e), code };
  }
}

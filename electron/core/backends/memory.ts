/** InMemoryBackend ("in-memory"): nothing survives the process; used for tests and scratch work. */
import { cloneSession, type Session } from '../model/session.js';
import { BaseBackend } from './backend.js';

export class InMemoryBackend extends BaseBackend {
  readonly name = 'in-memory';
  private stored: Session | undefined;

  constructor(initial?: Session) {
    super();
    // Copies in and out, so a caller mutating its object never changes what is stored.
    this.stored = initial && cloneSession(initial);
  }

  async save(session: Session): Promise<void> {
    this.stored = cloneSession(session);
  }
  async load(): Promise<Session | undefined> {
    return this.stored && cloneSession(this.stored);
  }
  async delete(): Promise<void> {
    this.stored = undefined;
  }
}

/**
 * A library session's account side, in the session view: who it is (each fact with where it came
 * from), its `.json` sidecar (the 2FA password only on an explicit Reveal, held in this
 * component's state and nowhere else), the other sessions on the same login, and its labels and note.
 */
import { useState, type ReactNode } from 'react';
import type { LibraryEntry } from '../../../shared/dto.js';
import { DUPLICATE_RISK } from '../../../shared/library-view.js';
import { api } from '../api.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { CopyValue, Icon, Notes } from './ui.js';

type Sidecar = NonNullable<LibraryEntry['sidecar']>;

/** "from acct.json", "from the peer cache", "from the session". */
export function fromText(source: string | null): string | null {
  if (source === null) return null;
  if (source === 'session') return 'from the session';
  if (source === 'peer cache') return 'from the peer cache';
  return `from ${source}`;
}

const oneLine = (e: unknown) => ((e as Error).message || 'failed').split('\n')[0]!;

function Fact({ k, children, from, testId }: { k: string; children: ReactNode; from?: string | null; testId?: string }) {
  const known = children !== null && children !== undefined && children !== '';
  return (
    <div className="fact" data-testid={testId}>
      <div className="fact-k">{k}</div>
      <div className="fact-v">{known ? children : <span className="faint">not stored</span>}</div>
      <div className="fact-from">{known ? fromText(from ?? null) : null}</div>
    </div>
  );
}

export function AccountSection({ entry }: { entry: LibraryEntry }) {
  const a = entry.account;
  return (
    <section className="panel-box" data-testid="account-section">
      <h2>Account</h2>
      {a === null ? (
        <div className="faint">Neither the session nor a sidecar beside it says whose account this is.</div>
      ) : (
        <div className="facts">
          <Fact k="User id" from={a.from.userId} testId="fact-user-id">
            {a.userId && (
              <>
                <span className="mono">{a.userId}</span>
                <CopyValue value={a.userId} label="user id" />
              </>
            )}
          </Fact>
          <Fact k="Type" from={a.from.isBot}>
            {a.isBot === null ? null : a.isBot ? 'bot' : 'user'}
          </Fact>
          <Fact k="Name" from={a.from.name} testId="fact-name">
            {a.name}
          </Fact>
          <Fact k="Username" from={a.from.username} testId="fact-username">
            {a.username && (
              <>
                <span>@{a.username}</span>
                <CopyValue value={a.username} label="username" />
              </>
            )}
          </Fact>
          <Fact k="Phone" from={a.from.phone} testId="fact-phone">
            {a.phone && <span className="mono">+{a.phone}</span>}
          </Fact>
        </div>
      )}
    </section>
  );
}

/** "2FA password: •••••• [Reveal]": the text is asked for on the click and forgotten on Hide or when the session is left. */
function TwoFa({ sessionPath }: { sessionPath: string }) {
  const [text, setText] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reveal = async () => {
    setBusy(true);
    setError(null);
    try {
      // The channel takes the session's path and finds its sidecar itself.
      setText((await api['sidecar.reveal2fa']({ path: sessionPath })).text);
    } catch (e) {
      setError(oneLine(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="fact" data-testid="twofa">
      <div className="fact-k">2FA password</div>
      <div className="fact-v">
        <span className="mono twofa-value" data-testid="twofa-value">
          {text ?? '••••••'}
        </span>
        {text === null ? (
          <button className="btn sm" disabled={busy} onClick={() => void reveal()} data-testid="twofa-reveal">
            <Icon name="eye" size={12} /> Reveal
          </button>
        ) : (
          <button className="btn sm" onClick={() => setText(null)} data-testid="twofa-hide">
            Hide
          </button>
        )}
        {error && (
          <span className="inline-error" role="alert" data-testid="twofa-error">
            {error}
          </span>
        )}
      </div>
      <div className="fact-from">the account's cloud password</div>
    </div>
  );
}

const SIDECAR_FACTS: [string, (s: Sidecar) => string | null, boolean?][] = [
  ['api_id', (s) => (s.apiId === null ? null : String(s.apiId)), true],
  ['App hash', (s) => s.apiHash, true],
  ['Device', (s) => s.device],
  ['System version', (s) => s.systemVersion],
  ['App version', (s) => s.appVersion],
  ['Lang pack', (s) => s.langPack],
  ['Lang code', (s) => s.langCode],
  ['System lang pack', (s) => s.systemLangPack],
  ['System lang code', (s) => s.systemLangCode],
  ['Premium', (s) => (s.premium === null ? null : s.premium ? 'yes' : 'no')],
];

export function SidecarSection({ sessionPath, sidecar }: { sessionPath: string; sidecar: Sidecar }) {
  const stated = SIDECAR_FACTS.map(([k, get, mono]) => [k, get(sidecar), mono] as const);
  const absent = stated.filter(([, v]) => v === null).map(([k]) => (k === 'api_id' ? k : k.toLowerCase()));
  return (
    <section className="panel-box" data-testid="sidecar-section">
      <h2>Sidecar</h2>
      <div className="sidecar-path">
        <span className="mono" title={sidecar.path}>
          {sidecar.path}
        </span>
        <CopyValue value={sidecar.path} label="sidecar path" />
      </div>
      <div className="facts">
        {stated
          .filter(([, v]) => v !== null)
          .map(([k, v, mono]) => (
            <div className="fact" key={k}>
              <div className="fact-k">{k}</div>
              <div className="fact-v">{mono ? <span className="mono">{v}</span> : v}</div>
              <div className="fact-from" />
            </div>
          ))}
        {sidecar.has2fa && <TwoFa sessionPath={sessionPath} />}
      </div>
      {absent.length > 0 && <div className="faint small panel-line">Not stated: {absent.join(', ')}</div>}
      {sidecar.otherKeys.length > 0 && (
        <div className="panel-line" data-testid="sidecar-other-keys">
          <span className="muted small">Other keys, kept as written:</span>{' '}
          {sidecar.otherKeys.map((k) => (
            <span key={k} className="key-chip mono">
              {k}
            </span>
          ))}
        </div>
      )}
      {sidecar.warnings.length > 0 && (
        <div className="panel-line" data-testid="sidecar-warnings">
          <Notes items={sidecar.warnings} />
        </div>
      )}
    </section>
  );
}

/** Where a sidecar would be, for a session without one. */
export function NoSidecar({ sessionPath }: { sessionPath: string }) {
  const name = sessionPath.split(/[\\/]/).pop() ?? sessionPath;
  const stem = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
  return (
    <section className="panel-box" data-testid="no-sidecar">
      <h2>Sidecar</h2>
      <div className="faint">
        None. Account tools keep one as <span className="mono">{stem}.json</span> beside the session: its device, app and 2FA facts would show here.
      </div>
    </section>
  );
}

/** The other sessions on this login, each selectable when it is in the library, and why it matters. */
export function DuplicateWarning({ entry }: { entry: LibraryEntry }) {
  const { entries, select } = useStore(useShallow((s) => ({ entries: s.entries, select: s.select })));
  if (entry.duplicates.length === 0) return null;
  const n = entry.duplicates.length;
  return (
    <div className="dup-warn" data-testid="duplicate-warning">
      <div className="dup-title">
        <Icon name="key" /> Same auth key as {n === 1 ? 'another session' : `${n} other sessions`}
      </div>
      <ul className="dup-list">
        {entry.duplicates.map((p) => {
          const other = entries.find((e) => e.path === p);
          return (
            <li key={p}>
              {other ? (
                <button className="link mono" onClick={() => void select(p)} title={`Open ${other.name}`} data-testid="duplicate-link">
                  {p}
                </button>
              ) : (
                <span className="mono">{p}</span>
              )}
            </li>
          );
        })}
      </ul>
      <div className="dup-risk" data-testid="duplicate-risk">
        {DUPLICATE_RISK}
      </div>
    </div>
  );
}

const MAX_LABELS = 100;
/** The contract's limit; the field's maxLength keeps a label within it. */
const MAX_LABEL = 200;

/** Label chips with ×, a field that adds one on Enter, a note, and Save (labels.set, then the library). */
export function LabelEditor({ entry }: { entry: LibraryEntry }) {
  const saveLabels = useStore((s) => s.saveLabels);
  // null: showing what the library holds; set once the user changes something.
  const [draft, setDraft] = useState<{ labels: string[]; note: string } | null>(null);
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const current = draft ?? { labels: entry.labels, note: entry.note ?? '' };
  const noKey = entry.authKeyId === null;
  const pending = input.trim();

  const edit = (patch: Partial<{ labels: string[]; note: string }>) => {
    setDraft({ ...current, ...patch });
    setSaved(false);
    setError(null);
  };
  /** The labels with the one still typed in the field, if any. */
  const withPending = (): string[] | null => {
    if (!pending || current.labels.includes(pending)) return current.labels;
    if (current.labels.length >= MAX_LABELS) {
      setError(`A session keeps at most ${MAX_LABELS} labels`);
      return null;
    }
    return [...current.labels, pending];
  };
  const add = () => {
    const labels = withPending();
    if (!labels) return;
    if (labels !== current.labels) edit({ labels });
    setInput('');
  };
  const save = async () => {
    const labels = withPending();
    if (!labels) return;
    setBusy(true);
    setError(null);
    try {
      await saveLabels(entry.path, labels, current.note.trim() === '' ? null : current.note);
      setDraft(null);
      setInput('');
      setSaved(true);
    } catch (e) {
      setError(oneLine(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel-box" data-testid="label-editor">
      <h2>Labels and note</h2>
      {noKey ? (
        <div className="faint" data-testid="labels-disabled">
          Labels and notes are kept by the login's auth key fingerprint, and this session holds no auth key for its home DC: there is nothing to label.
        </div>
      ) : (
        <>
          <div className="label-box" onClick={(e) => e.currentTarget.querySelector('input')?.focus()}>
            {current.labels.map((l) => (
              <span key={l} className="label-chip editable" data-testid="label-chip">
                {l}
                <button
                  className="label-x"
                  aria-label={`Remove the label ${l}`}
                  title="Remove"
                  onClick={(e) => {
                    e.stopPropagation();
                    edit({ labels: current.labels.filter((x) => x !== l) });
                  }}
                >
                  ×
                </button>
              </span>
            ))}
            <input
              className="label-input"
              value={input}
              maxLength={MAX_LABEL}
              placeholder={current.labels.length === 0 ? 'Add a label, then Enter' : 'Add a label…'}
              aria-label="Add a label"
              onChange={(e) => {
                setInput(e.target.value);
                setSaved(false);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  add();
                }
              }}
              data-testid="label-input"
            />
          </div>
          <textarea
            className="input note-input"
            rows={3}
            maxLength={10_000}
            placeholder="A note for yourself: where this session came from, what it is for…"
            value={current.note}
            onChange={(e) => edit({ note: e.target.value })}
            aria-label="Note"
            data-testid="note-input"
          />
          <div className="label-foot">
            <button className="btn primary sm" disabled={busy || (draft === null && !pending)} onClick={() => void save()} data-testid="labels-save">
              <Icon name="save" size={12} /> Save
            </button>
            {draft !== null && !busy && (
              <button
                className="btn ghost sm"
                onClick={() => {
                  setDraft(null);
                  setInput('');
                  setError(null);
                }}
              >
                Discard
              </button>
            )}
            {saved && (
              <span className="ok-text small" data-testid="labels-saved">
                <Icon name="check" size={12} /> Saved
              </span>
            )}
            <span className="spacer" />
            <span className="faint small">{entry.duplicates.length > 0 ? 'Shared by every session on this login' : 'They follow the login through copies and conversions'}</span>
          </div>
          {error && (
            <div className="inline-error block" role="alert" data-testid="labels-error">
              {error}
            </div>
          )}
        </>
      )}
    </section>
  );
}

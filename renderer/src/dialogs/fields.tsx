/** Form pieces shared by the dialogs: format picker, the fields a target needs, a path field with completion. */
import { useId, useRef, useState, type RefObject } from 'react';
import type { FormatInfo, Given } from '../../../shared/contract.js';
import { api, isElectron } from '../api.js';
import { useDebounced } from '../debounced.js';
import { useReply } from '../query.js';

export function FormatSelect({ formats, value, onChange, label }: { formats: FormatInfo[]; value: string; onChange(id: string): void; label: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid="format-select">
        <option value="" disabled>
          Choose a format…
        </option>
        {formats.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label} · {f.library}
          </option>
        ))}
      </select>
    </label>
  );
}

export type Requirement = FormatInfo['requires'][number];

export interface GivenDraft {
  userId: string;
  isBot: '' | 'bot' | 'user';
  apiId: string;
}

export const emptyDraft: GivenDraft = { userId: '', isBot: '', apiId: '' };

/** The draft as the contract's `given`, or a one-line problem. */
export function draftToGiven(d: GivenDraft): { given: Given; problem: string | null } {
  const given: Given = {};
  if (d.userId.trim()) {
    if (!/^\d{1,19}$/.test(d.userId.trim())) return { given, problem: 'The user id is a positive whole number.' };
    given.userId = d.userId.trim();
  }
  if (d.isBot) given.isBot = d.isBot === 'bot';
  if (d.apiId.trim()) {
    const n = Number(d.apiId.trim());
    if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) return { given, problem: 'The api_id is a positive whole number.' };
    given.apiId = n;
  }
  return { given, problem: null };
}

export function GivenFields({ missing, draft, onChange }: { missing: Requirement[]; draft: GivenDraft; onChange(d: GivenDraft): void }) {
  const asked = missing.filter((m) => m !== 'authKey');
  if (asked.length === 0) return null;
  return (
    <div className="note info" style={{ display: 'grid', gap: 10 }}>
      <div>The target format needs values this session does not hold. Session Deck never invents them: enter them from your records.</div>
      {asked.includes('user') && (
        <label className="field">
          <span>Own user id</span>
          <input className="input mono" value={draft.userId} onChange={(e) => onChange({ ...draft, userId: e.target.value })} placeholder="e.g. 123456789" data-testid="given-user" />
        </label>
      )}
      {asked.includes('isBot') && (
        <label className="field">
          <span>Account type</span>
          <select className="input" value={draft.isBot} onChange={(e) => onChange({ ...draft, isBot: e.target.value as GivenDraft['isBot'] })} data-testid="given-bot">
            <option value="">Choose…</option>
            <option value="user">User account</option>
            <option value="bot">Bot</option>
          </select>
        </label>
      )}
      {asked.includes('apiId') && (
        <label className="field">
          <span>api_id</span>
          <input className="input mono" value={draft.apiId} onChange={(e) => onChange({ ...draft, apiId: e.target.value })} placeholder="from my.telegram.org" data-testid="given-api" />
        </label>
      )}
    </div>
  );
}

/** A path input with completion from the main process (the web mode has no native dialog). */
export function PathField({ value, onChange, label, hint, folderOnly, testId }: { value: string; onChange(v: string): void; label: string; hint?: string; folderOnly?: boolean; testId?: string }) {
  const [focus, setFocus] = useState(false);
  const blurTimer = useRef<number | undefined>(undefined);
  const listId = useId();
  const prefix = useDebounced(value, 80);
  // The last answer stays while the next is asked, so the list does not blink per keystroke.
  const found = useReply('fs.complete', focus ? { prefix } : null, { keepPrevious: true });
  const items = (found.data?.items ?? []).filter((i) => !folderOnly || i.dir);
  const open = focus && items.length > 0;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        className="input mono"
        value={value}
        role="combobox"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-autocomplete="list"
        // Typing means the field has the focus, whatever a late blur timer says.
        onChange={(e) => {
          onChange(e.target.value);
          setFocus(true);
        }}
        onFocus={() => {
          window.clearTimeout(blurTimer.current);
          setFocus(true);
        }}
        // Late, so a click on a completion lands before the list goes; cleared by a refocus.
        onBlur={() => {
          blurTimer.current = window.setTimeout(() => setFocus(false), 150);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Tab' && items[0] && focus && items[0].path !== value) {
            e.preventDefault();
            onChange(items[0].path);
          }
        }}
        spellCheck={false}
        data-testid={testId}
      />
      {hint && <span className="hint">{hint}</span>}
      {open && (
        <div className="list mono small" role="listbox" id={listId} aria-label={`${label}: matching paths`}>
          {items.slice(0, 12).map((i) => (
            <button key={i.path} type="button" role="option" aria-selected={i.path === value} onMouseDown={(e) => e.preventDefault()} onClick={() => onChange(i.path)}>
              {i.path}
            </button>
          ))}
        </div>
      )}
    </label>
  );
}

/** Electron asks the native save dialog; the web mode uses the typed path. */
export async function chooseSavePath(typed: string): Promise<string | null> {
  if (!isElectron()) return typed.trim() || null;
  const r = await api['dialog.save']({ defaultPath: typed });
  return r.available ? r.path : typed.trim() || null;
}

/** Why a passphrase cannot be used yet, or null; `again` is null when it opens an existing backup (typed once). */
export function passphraseProblem(pass: string, again: string | null): string | null {
  if (pass.length === 0) return 'Enter a passphrase.';
  if (again !== null && pass.length < 8) return 'Use at least 8 characters (a few words are best).';
  if (again !== null && again.length > 0 && again !== pass) return 'The two passphrases differ.';
  if (again !== null && again.length === 0) return 'Type the passphrase again to confirm it.';
  return null;
}

/** A passphrase field with Show/Hide, and a second field to type a new one again. */
export function PassphraseFields({ value, again, onChange, confirm, label, testId, inputRef }: { value: string; again: string; onChange(value: string, again: string): void; confirm: boolean; label?: string; testId?: string; inputRef?: RefObject<HTMLInputElement | null> }) {
  const [shown, setShown] = useState(false);
  const type = shown ? 'text' : 'password';
  const mismatch = confirm && again.length > 0 && again !== value;
  const id = useId();
  return (
    <div className={confirm ? 'pass-grid' : 'field'}>
      {/* The Show button sits outside the label, so the field's name is the label alone. */}
      <div className="field">
        <label htmlFor={id} className="field-label">
          {label ?? 'Passphrase'}
        </label>
        <div className="input-with-btn">
          <input id={id} ref={inputRef} className="input" type={type} value={value} onChange={(e) => onChange(e.target.value, again)} autoComplete={confirm ? 'new-password' : 'current-password'} spellCheck={false} data-testid={testId ?? 'passphrase'} />
          <button type="button" className="btn ghost sm" onClick={() => setShown(!shown)} aria-label={shown ? 'Hide the passphrase' : 'Show the passphrase'} title={shown ? 'Hide' : 'Show'}>
            {shown ? 'Hide' : 'Show'}
          </button>
        </div>
      </div>
      {confirm && (
        <label className="field">
          <span>Type it again</span>
          <input className={`input ${mismatch ? 'bad' : ''}`} type={type} value={again} onChange={(e) => onChange(value, e.target.value)} autoComplete="new-password" spellCheck={false} data-testid={`${testId ?? 'passphrase'}-again`} />
        </label>
      )}
    </div>
  );
}

/** Whether a conversion also writes a copy of the source's .json sidecar beside its output. */
export function SidecarCopy({ name, checked, onChange }: { name: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="sidecar-copy" />
      Write a copy of the sidecar (<span className="mono">{name}</span>) beside the output, its session_file naming the new file
    </label>
  );
}


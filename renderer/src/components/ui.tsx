/** Small building blocks: icons, badges, copy buttons for non-secret values, the dialog shell. */
import { useEffect, useId, useLayoutEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { failureOf, remedyOf, type Failure } from '../remedies.js';
import { useStore } from '../store.js';

const PATHS: Record<string, string> = {
  folder: 'M3 6.5A1.5 1.5 0 0 1 4.5 5h4l2 2h9A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z',
  paste: 'M9 4h6v3H9zM7 5H5.5A1.5 1.5 0 0 0 4 6.5v13A1.5 1.5 0 0 0 5.5 21h13a1.5 1.5 0 0 0 1.5-1.5v-13A1.5 1.5 0 0 0 18.5 5H17',
  gear: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-2.9 1.2V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-2.9-1.2l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1A1.7 1.7 0 0 0 3 14H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.2-2.9l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1A1.7 1.7 0 0 0 10 3.1V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 2.9 1.2l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1A1.7 1.7 0 0 0 21 10h.1a2 2 0 1 1 0 4H21a1.7 1.7 0 0 0-1.6 1z',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  export: 'M12 3v12M7 8l5-5 5 5M5 21h14',
  convert: 'M4 7h13l-3-3M20 17H7l3 3',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  key: 'M14 10a4 4 0 1 0-3.9 4H12v2h2v2h3v-3l-3.2-3.2A4 4 0 0 0 14 10z',
  refresh: 'M20 11A8 8 0 0 0 5.3 6.6L4 8M4 4v4h4M4 13a8 8 0 0 0 14.7 4.4L20 16M20 20v-4h-4',
  close: 'M6 6l12 12M18 6 6 18',
  eye: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  save: 'M5 3h11l3 3v15H5zM8 3v5h7M8 21v-7h8v7',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  check: 'M5 12.5l4.5 4.5L19 7',
  shield: 'M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6zM9 12l2 2 4-4',
  restore: 'M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l3 2',
  archive: 'M3 4h18v4H3zM5 8v12h14V8M10 12h4',
  lock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 0 1 7 0V11M12 15v2',
  drop: 'M12 3v12M7 10l5 5 5-5M4 17v2.5A1.5 1.5 0 0 0 5.5 21h13a1.5 1.5 0 0 0 1.5-1.5V17',
  database: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
};

export function Icon({ name, size = 14 }: { name: keyof typeof PATHS | string; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name] ?? ''} />
    </svg>
  );
}

export function Badge({ children, tone, title }: { children: ReactNode; tone?: 'fmt' | 'ok' | 'warn' | 'danger' | 'violet'; title?: string }) {
  return (
    <span className={`badge ${tone ?? ''}`} title={title}>
      {children}
    </span>
  );
}

/** A session's labels as small chips (the sidebar, the session header, the finder). */
export function LabelChips({ labels }: { labels: readonly string[] }) {
  if (labels.length === 0) return null;
  return (
    <span className="labels" data-testid="entry-labels">
      {labels.map((l) => (
        <span key={l} className="label-chip">
          {l}
        </span>
      ))}
    </span>
  );
}

/** Copies a NON-secret value (an id, a fingerprint) with the browser clipboard. */
export function CopyValue({ value, label }: { value: string; label?: string }) {
  const notify = useStore((s) => s.notify);
  return (
    <button
      className="copy-btn"
      title={`Copy ${label ?? 'value'}`}
      aria-label={`Copy ${label ?? 'value'}`}
      onClick={() =>
        void navigator.clipboard.writeText(value).then(
          () => notify(`Copied ${label ?? value}`),
          () => notify('The clipboard is not available here', 'error'),
        )
      }
    >
      <Icon name="copy" size={12} />
    </button>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: named by its title, focus moved in when it opens, kept in by Tab and
 * Shift-Tab (a focus trap, as <dialog>.showModal() would), given back to what had it when it
 * closes; Escape and a click outside close it.
 */
export function Dialog({ title, children, footer, onClose, wide, testId }: { title: ReactNode; children: ReactNode; footer?: ReactNode; onClose(): void; wide?: boolean; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // The latest onClose without re-running the effects: parents pass a new function on every render.
  const close = useRef(onClose);
  useLayoutEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // Focus the first field once, when the dialog opens; give focus back when it closes.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.querySelector<HTMLElement>('[data-autofocus], input, textarea, select, button.primary')?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);
  const trap = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const [first, last] = [items[0]!, items[items.length - 1]!];
    const at = document.activeElement;
    if (e.shiftKey && (at === first || !ref.current.contains(at))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (at === last || !ref.current.contains(at))) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close.current()}>
      <div className={`dialog ${wide ? 'wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} data-testid={testId} onKeyDown={trap}>
        <div className="dialog-h">
          <h3 id={titleId}>{title}</h3>
          <div className="spacer" />
          <button className="btn ghost sm" onClick={() => close.current()} aria-label="Close">
            <Icon name="close" />
          </button>
        </div>
        <div className="dialog-b">{children}</div>
        {footer && <div className="dialog-f">{footer}</div>}
      </div>
    </div>
  );
}

/** Scrolls the element into view when `key` changes (a result appearing at the bottom of a dialog). */
export function useScrollIntoView<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [key]);
  return ref;
}

export function Notes({ items, tone }: { items: string[]; tone?: 'info' | 'error' | 'ok' }) {
  if (items.length === 0) return null;
  return (
    <div className="notes">
      {items.map((t, i) => (
        <div key={i} className={`note ${tone ?? ''}`}>
          {t}
        </div>
      ))}
    </div>
  );
}

/**
 * A refusal in one line, announced; with the remedy its code has (remedies.ts): a sentence on
 * what to do and, where the same call may then work, a Retry button.
 */
export function ErrorLine({ error, onRetry }: { error: string | Error | Failure | null | undefined; onRetry?: () => unknown }) {
  if (!error) return null;
  const f: Failure = typeof error === 'string' ? { message: error, code: null } : error instanceof Error ? failureOf(error) : error;
  const remedy = remedyOf(f.code);
  return (
    <div className="note error" role="alert" data-testid="error" data-code={f.code ?? undefined}>
      <div>
        {f.message}
        {remedy && <div className="remedy">{remedy.hint}</div>}
      </div>
      {remedy?.retry && onRetry && (
        <button type="button" className="btn sm" onClick={() => void onRetry()} data-testid="error-retry">
          Retry
        </button>
      )}
    </div>
  );
}

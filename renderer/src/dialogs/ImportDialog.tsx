/** Import a string: paste, auto-detect (ask when it fits several formats), preview, then view or convert it. */
import { useState } from 'react';
import type { Res } from '../../../shared/contract.js';
import { api } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { formatLabel, formatShort, num } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { useAction } from './use-action.js';

export function ImportDialog({ onClose }: { onClose(): void }) {
  const { formats, addImported, select, openDialog } = useStore(useShallow((s) => ({ formats: s.formats, addImported: s.addImported, select: s.select, openDialog: s.openDialog })));
  const [text, setText] = useState('');
  const [candidates, setCandidates] = useState<string[] | null>(null);
  const [result, setResult] = useState<Extract<Res<'import.preview'>, { status: 'ok' }> | null>(null);
  const { busy, failure, run } = useAction();

  const read = (from?: string) =>
    run(async () => {
      setResult(null);
      const r = await api['import.preview']({ text, from });
      if (r.status === 'ambiguous') setCandidates(r.candidates);
      else {
        setCandidates(null);
        setResult(r);
      }
    });

  const open = async (then?: 'convert') => {
    if (!result) return;
    const title = `Pasted ${formatShort(result.summary.format)}`;
    addImported({ ref: result.ref, title, summary: result.summary });
    await select(result.ref);
    openDialog(then ? { type: 'convert' } : null);
    if (!then) onClose();
  };

  const s = result?.summary;
  return (
    <Dialog
      title="Import a session string"
      onClose={onClose}
      wide
      testId="import-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          {result ? (
            <>
              <button className="btn" onClick={() => void open()} data-testid="import-open">
                Open in viewer
              </button>
              <button className="btn primary" onClick={() => void open('convert')} data-testid="import-save">
                <Icon name="save" /> Save as file…
              </button>
            </>
          ) : (
            <button className="btn primary" disabled={!text.trim() || busy} onClick={() => void read()} data-testid="import-read">
              Read string
            </button>
          )}
        </>
      }
    >
      <label className="field">
        <span>Session string</span>
        <textarea
          className="input mono"
          rows={5}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setResult(null);
            setCandidates(null);
          }}
          placeholder="Paste a Telethon, Pyrogram, GramJS, mtcute or ferogram session string"
          spellCheck={false}
          autoComplete="off"
          data-testid="import-text"
        />
        <span className="hint">Read in Session Deck's engine only; nothing is written until you save.</span>
      </label>
      {candidates && (
        <div className="note info" style={{ display: 'grid', gap: 8 }} data-testid="import-ambiguous">
          <div>This string fits more than one format. Which library made it?</div>
          <div className="radio-row">
            {candidates.map((c) => (
              <button key={c} className="btn sm" onClick={() => void read(c)}>
                {formatLabel(formats, c)}
              </button>
            ))}
          </div>
        </div>
      )}
      <ErrorLine error={failure} />
      {s && (
        <div className="kv" data-testid="import-preview">
          <div>Format</div>
          <div>{formatLabel(formats, s.format)}</div>
          <div>Account</div>
          <div className="mono">{s.user ? `${s.user.id}${s.user.isBot ? ' (bot)' : ''}` : 'not stored'}</div>
          <div>Home DC</div>
          <div>
            {s.homeDc ?? '—'}
            {s.testMode === null ? '' : s.testMode ? ', test servers' : ', production'}
          </div>
          <div>Auth key</div>
          <div className="mono">{s.dcs.find((d) => d.home && d.authKeyId)?.authKeyId ?? 'none'}</div>
          <div>Peers</div>
          <div>{num(s.peers.total)}</div>
        </div>
      )}
    </Dialog>
  );
}

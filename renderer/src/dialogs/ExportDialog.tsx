/** Export as a string: pick the format, see the loss report and a masked preview; Copy, Reveal or Save on click. */
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { copySecret } from '../clipboard.js';
import { Dialog, ErrorLine, Icon, Notes } from '../components/ui.js';
import { useStore, type OpenSession } from '../store.js';
import { failedRead, useReply } from '../query.js';
import { chooseSavePath, draftToGiven, emptyDraft, FormatSelect, GivenFields, PathField, type GivenDraft } from './fields.js';
import { useAction } from './use-action.js';

export function ExportDialog({ session, onClose }: { session: OpenSession; onClose(): void }) {
  const formats = useStore((s) => s.formats).filter((f) => f.medium === 'string');
  const notify = useStore((s) => s.notify);
  const [to, setTo] = useState('');
  const [draft, setDraft] = useState<GivenDraft>(emptyDraft);
  const [revealed, setRevealed] = useState<{ handle: string; text: string } | null>(null);
  // What the user typed; until then, the path the main process suggests.
  const [typedPath, setSavePath] = useState<string | null>(null);
  const { busy, failure, run, retry: retryAction } = useAction();

  const { given, problem } = draftToGiven(draft);
  const req = to && !problem ? { ref: session.ref, to, given } : null;
  const asked = useReply('convert.preview', req);
  const missing = asked.data?.missing ?? [];
  const savePath = typedPath ?? asked.data?.suggestedPath ?? '';
  // The string is made in the main process once nothing is missing; the dialog holds only its handle.
  const made = useReply('export.prepare', asked.data && missing.length === 0 ? req : null, { owned: true });
  const prepared = made.data ?? null;
  const failed = failedRead(asked, made);
  const error = problem ?? failed?.error ?? failure;
  const retry = failed?.retry ?? retryAction;
  const shownText = revealed && prepared && revealed.handle === prepared.handle ? revealed.text : null;

  // The string is dropped from the main process when the dialog closes or another replaces it.
  useEffect(() => {
    const handle = prepared?.handle;
    return () => {
      if (handle) void api['export.discard']({ handle }).catch(() => undefined);
    };
  }, [prepared?.handle]);

  const copy = () =>
    run(async () => {
      const secs = await copySecret(prepared!.handle);
      notify(`Copied. The clipboard is cleared in ${secs} s if it still holds this string.`);
    });
  const reveal = () => run(async () => setRevealed({ handle: prepared!.handle, text: (await api['export.reveal']({ handle: prepared!.handle })).text }));
  const save = () =>
    run(async () => {
      const path = await chooseSavePath(savePath);
      if (!path) return;
      const r = await api['export.save']({ handle: prepared!.handle, path });
      notify(`Saved to ${r.path}`);
    });

  return (
    <Dialog
      title="Export as a session string"
      onClose={onClose}
      wide
      testId="export-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Close
          </button>
          <button className="btn" disabled={!prepared || busy} onClick={() => void save()} data-testid="export-save">
            <Icon name="save" /> Save to file
          </button>
          <button className="btn" disabled={!prepared || busy} onClick={() => void reveal()} data-testid="export-reveal">
            <Icon name="eye" /> Reveal
          </button>
          <button className="btn primary" disabled={!prepared || busy} onClick={() => void copy()} data-testid="export-copy">
            <Icon name="copy" /> Copy
          </button>
        </>
      }
    >
      <FormatSelect formats={formats} value={to} onChange={setTo} label="String format" />
      <GivenFields missing={missing} draft={draft} onChange={setDraft} />
      <ErrorLine error={error} onRetry={retry} />
      {prepared && (
        <>
          <div className="kv">
            <div>Read by</div>
            <div data-testid="export-library">{prepared.library}</div>
            <div>Length</div>
            <div>{prepared.length} characters</div>
          </div>
          <div className="secret" data-testid="export-preview">
            {shownText ?? prepared.preview}
          </div>
          <div className="faint small">The string grants full access to the account. It stays in Session Deck's engine until you copy, reveal or save it.</div>
          <Notes items={[...prepared.given, ...prepared.losses.map((l) => `Not carried: ${l}`)]} />
          {prepared.losses.length === 0 && <div className="note ok">Nothing is lost in this export.</div>}
          <PathField value={savePath} onChange={setSavePath} label="Save to" hint="Used by Save to file; an existing file is never overwritten." testId="export-path" />
        </>
      )}
    </Dialog>
  );
}

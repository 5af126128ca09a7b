/** Convert the ticked sessions into one folder as a job: progress, Cancel, and a line per session. */
import { useState } from 'react';
import type { Res } from '../../../shared/contract.js';
import { api, isElectron } from '../api.js';
import { JobProgress, useJobRunner } from '../components/job.js';
import { Badge, Dialog, ErrorLine, Icon } from '../components/ui.js';
import { formatShort } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { draftToGiven, emptyDraft, FormatSelect, GivenFields, PathField, SidecarCopy, type GivenDraft } from './fields.js';
import { useAction } from './use-action.js';

const parent = (p: string) => p.replace(/[\\/][^\\/]*$/, '') || p;
const name = (p: string) => p.split(/[\\/]/).pop() ?? p;

export function BatchConvertDialog({ onClose }: { onClose(): void }) {
  const { checked, entries, formats, notify } = useStore(useShallow((s) => ({ checked: s.checked, entries: s.entries, formats: s.formats, notify: s.notify })));
  const picked = entries.filter((e) => checked.includes(e.path));
  const [to, setTo] = useState('');
  const [outDir, setOutDir] = useState(picked[0] ? `${parent(picked[0].path)}/converted` : '');
  const [draft, setDraft] = useState<GivenDraft>(emptyDraft);
  const action = useAction();
  const [result, setResult] = useState<Res<'convert.batch'> | null>(null);
  const [copySidecar, setCopySidecar] = useState(true);
  const withSidecar = picked.filter((e) => e.sidecar !== null).length;
  const runner = useJobRunner();

  const target = formats.find((f) => f.id === to);
  // A user id differs per account, so only the values shared by all are asked here.
  const shared = (target?.requires ?? []).filter((r) => r === 'apiId' || r === 'isBot');
  const { given, problem } = draftToGiven(draft);

  const run = () =>
    action.run(async () => {
      const r = await runner.run((jobId) => api['convert.batch']({ jobId, paths: picked.map((e) => e.path), to, given, outDir: outDir.trim(), sidecar: copySidecar }));
      if (r) {
        setResult(r);
        notify(`${r.written.length} written${r.failed.length > 0 ? `, ${r.failed.length} not converted` : ''}${r.cancelled ? ' (cancelled)' : ''}`);
      }
    });

  const chooseDir = async () => {
    const r = await api['dialog.open']({ kind: 'folder' });
    if (r.paths[0]) setOutDir(r.paths[0]);
  };

  return (
    <Dialog
      title={`Convert ${picked.length} session${picked.length === 1 ? '' : 's'}`}
      onClose={onClose}
      wide
      testId="batch-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {result ? 'Done' : 'Cancel'}
          </button>
          {!result && (
            <button className="btn primary" disabled={!to || !outDir.trim() || picked.length === 0 || problem !== null || runner.running} onClick={() => void run()} data-testid="batch-start">
              <Icon name="convert" /> Convert all
            </button>
          )}
        </>
      }
    >
      <div className="chip-list">
        {picked.map((e) => (
          <span key={e.path} className="file-chip" title={e.path}>
            <Badge tone="fmt">{formatShort(e.format)}</Badge> {e.name}
          </span>
        ))}
      </div>
      <FormatSelect formats={formats} value={to} onChange={setTo} label="Target format" />
      <GivenFields missing={shared} draft={draft} onChange={setDraft} />
      <div className="path-row">
        <PathField value={outDir} onChange={setOutDir} folderOnly label="Write into" hint="New files named <name>.<format>.session; existing files are never overwritten, the sources never touched." testId="batch-out" />
        {isElectron() && (
          <button className="btn" onClick={() => void chooseDir()}>
            Choose…
          </button>
        )}
      </div>
      {withSidecar > 0 && <SidecarCopy name={withSidecar === 1 ? 'its .json' : `${withSidecar} .json files`} checked={copySidecar} onChange={setCopySidecar} />}
      <JobProgress runner={runner} />
      {result && (
        <table className="grid compact" data-testid="batch-result">
          <thead>
            <tr>
              <th>Session</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {result.written.map((w) => (
              <tr key={w.from}>
                <td>{name(w.from)}</td>
                <td className="mono small ellipsis" title={w.to}>
                  <Badge tone="ok">written</Badge> {w.to}
                  {w.losses > 0 && <span className="faint"> · {w.losses} field{w.losses === 1 ? '' : 's'} the target cannot keep</span>}
                </td>
              </tr>
            ))}
            {result.failed.map((f) => (
              <tr key={f.path}>
                <td>{name(f.path)}</td>
                <td className="small ellipsis" title={f.error}>
                  <Badge tone="danger">not converted</Badge> {f.error}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorLine error={action.failure} onRetry={action.retry} />
    </Dialog>
  );
}

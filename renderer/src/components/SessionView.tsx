/** The main pane: the open session's header, actions and tabs, or the empty states. */
import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { LibraryEntry, SessionSummary } from '../../../shared/dto.js';
import { dateTime, formatLabel, formatShort, num } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type OpenSession, type Tab } from '../store.js';
import { AccountSection, DuplicateWarning, fromText, LabelEditor, NoSidecar, SidecarSection } from './AccountPanel.js';
import { MinPeersTab, PeersTab } from './PeersTab.js';
import { remedyOf } from '../remedies.js';
import { Badge, CopyValue, ErrorLine, Icon, LabelChips, Notes } from './ui.js';

function Empty() {
  const { roots, entries, openDialog, loaded } = useStore(useShallow((s) => ({ roots: s.roots, entries: s.entries, openDialog: s.openDialog, loaded: s.loaded })));
  if (!loaded) return <div className="empty"><div className="spinner" /></div>;
  const none = roots.length === 0;
  return (
    <div className="empty" data-testid="empty">
      <div className="empty-box">
        <div className="empty-art">
          <Icon name={none ? 'folder' : 'file'} size={26} />
        </div>
        <h2>{none ? 'Add a folder with your .session files' : 'Pick a session on the left'}</h2>
        <p>
          {none
            ? 'Session Deck reads Telethon, Pyrogram, GramJS, mtcute, grammers and ferogram sessions, offline. Files are only read until you choose to convert or edit.'
            : `${num(entries.filter((e) => e.status === 'ok').length)} sessions in your library. Press Ctrl K to find one by name, account, label, user id or format.`}
        </p>
        <div className="row">
          <button className="btn primary" onClick={() => openDialog({ type: 'add' })}>
            <Icon name="folder" /> Add folder…
          </button>
          <button className="btn" onClick={() => openDialog({ type: 'import' })}>
            <Icon name="paste" /> Import a string…
          </button>
        </div>
      </div>
    </div>
  );
}

function Card({ k, children, sub }: { k: string; children: React.ReactNode; sub?: React.ReactNode }) {
  return (
    <div className="card">
      <div className="k">{k}</div>
      <div className="v">{children}</div>
      {sub && <div className="sub">{sub}</div>}
    </div>
  );
}

function Overview({ s, entry }: { s: SessionSummary; entry: LibraryEntry | undefined }) {
  const formats = useStore((st) => st.formats);
  const home = s.dcs.find((d) => d.home && d.authKeyId) ?? s.dcs.find((d) => d.home);
  // What the session lacks and its sidecar says, named as such.
  const sideId = s.user ? null : (entry?.account?.userId ?? null);
  const sideApi = entry?.sidecar?.apiId ?? null;
  const sidecarName = entry?.sidecar?.path.split(/[\\/]/).pop() ?? '';
  const p = s.peers;
  const breakdown = (
    [
      ['users', p.users],
      ['bots', p.bots],
      ['chats', p.chats],
      ['channels', p.channels],
      ['megagroups', p.megagroups],
      ['gigagroups', p.gigagroups],
      ['communities', p.communities],
      ['min', p.min],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${num(n)} ${k}`)
    .join(' · ');
  return (
    <div className="pane" data-testid="overview">
      <div className="cards">
        <Card k="Format" sub={formatLabel(formats, s.format)}>
          {formatShort(s.format)}
          {s.formatVersion !== null && <span className="muted small">v{s.formatVersion}</span>}
        </Card>
        <Card k="Account" sub={s.user ? (s.user.isBot === null ? 'bot or user not stored' : s.user.isBot ? 'bot' : 'user') : sideId ? `not in the session; ${fromText(entry?.account?.from.userId ?? null)}` : 'this format does not store it'}>
          {s.user || sideId ? (
            <>
              <span className="mono">{s.user?.id ?? sideId}</span>
              <CopyValue value={(s.user?.id ?? sideId)!} label="user id" />
            </>
          ) : (
            <span className="muted">unknown</span>
          )}
        </Card>
        <Card k="Home DC" sub={s.testMode === null ? 'server type unknown' : s.testMode ? 'test servers' : 'production servers'}>
          {s.homeDc ?? '—'}
        </Card>
        <Card k="Auth key (home)" sub="auth_key_id fingerprint, never the key">
          {home?.authKeyId ? (
            <>
              <span className="mono">{home.authKeyId}</span>
              <CopyValue value={home.authKeyId} label="fingerprint" />
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </Card>
        <Card k="Peers" sub={breakdown || 'no cached peers'}>
          {num(p.total)}
        </Card>
        <Card k="Min peers">{num(s.minPeers)}</Card>
        <Card k="api_id" sub={s.apiId === null && sideApi !== null ? `not in the session; from ${sidecarName}` : undefined}>
          {s.apiId ?? sideApi ?? <span className="muted">not stored</span>}
        </Card>
        <Card k="Keys" sub={s.hasFutureAuthToken ? 'future auth token present' : undefined}>
          {s.dcs.filter((d) => d.authKeyId).length} of {new Set(s.dcs.map((d) => d.id)).size} DCs
        </Card>
        {s.takeoutId !== null && (
          <Card k="Takeout id">
            <span className="mono">{s.takeoutId}</span>
          </Card>
        )}
      </div>
      {entry && (
        // Keyed by the path: a revealed 2FA password and an unsaved draft stay with their session.
        <div className="account-grid" key={entry.path}>
          <div className="account-col">
            <AccountSection entry={entry} />
            <LabelEditor entry={entry} />
          </div>
          <div className="account-col">{entry.sidecar ? <SidecarSection sessionPath={entry.path} sidecar={entry.sidecar} /> : <NoSidecar sessionPath={entry.path} />}</div>
        </div>
      )}
      {(s.warnings.length > 0 || s.inferences.length > 0) && (
        <div className="section">
          <h2>Audit</h2>
          <Notes items={s.warnings} />
          <div style={{ height: 6 }} />
          <Notes items={s.inferences.map((i) => `Inferred: ${i}`)} tone="info" />
        </div>
      )}
    </div>
  );
}

function DcTable({ s }: { s: SessionSummary }) {
  if (s.dcs.length === 0) return <div className="pane muted">This session holds no DC entries.</div>;
  return (
    <div className="pane">
      <table className="grid" data-testid="dc-table">
        <thead>
          <tr>
            <th>DC</th>
            <th>Address</th>
            <th className="num">Port</th>
            <th>Flags</th>
            <th>Key fingerprint</th>
            <th className="num">Salt</th>
            <th className="num">Time offset</th>
          </tr>
        </thead>
        <tbody>
          {s.dcs.map((d, i) => (
            <tr key={i} className={d.home ? 'home' : ''}>
              <td>
                <strong>{d.id}</strong> {d.home && <Badge tone="fmt">home</Badge>}
              </td>
              <td className="mono">{d.address}</td>
              <td className="mono num">{d.port}</td>
              <td>
                <span style={{ display: 'inline-flex', gap: 4 }}>
                  {d.ipv6 && <Badge>IPv6</Badge>}
                  {d.mediaOnly && <Badge>media</Badge>}
                  {d.cdn && <Badge>CDN</Badge>}
                  {d.tcpoOnly && <Badge>TCPO</Badge>}
                  {d.static && <Badge>static</Badge>}
                  {!d.ipv6 && !d.mediaOnly && !d.cdn && !d.tcpoOnly && !d.static && <span className="faint">—</span>}
                </span>
              </td>
              <td className="mono">{d.authKeyId ?? <span className="faint">no key</span>}</td>
              <td className="mono num">{d.salt}</td>
              <td className="mono num">{d.timeOffset}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Updates({ s }: { s: SessionSummary }) {
  const u = s.updates;
  return (
    <div className="pane" data-testid="updates">
      <div className="cards">
        <Card k="pts">
          <span className="mono">{u.pts}</span>
        </Card>
        <Card k="qts">
          <span className="mono">{u.qts}</span>
        </Card>
        <Card k="seq">
          <span className="mono">{u.seq}</span>
        </Card>
        <Card k="date" sub={u.date > 0 ? <span className="mono">{u.date}</span> : 'the format keeps no date'}>
          {dateTime(u.date)}
        </Card>
      </div>
      <div className="section">
        <h2>Channels with their own pts ({num(u.channels.length)})</h2>
        {u.channels.length === 0 ? (
          <div className="faint">None stored.</div>
        ) : (
          <table className="grid" style={{ maxWidth: 520 }}>
            <thead>
              <tr>
                <th>Channel id</th>
                <th className="num">pts</th>
              </tr>
            </thead>
            <tbody>
              {u.channels.slice(0, 2000).map((c) => (
                <tr key={c.id}>
                  <td className="mono">{c.id}</td>
                  <td className="mono num">{c.pts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

const TABS: { id: Tab; label: string; count?: (s: SessionSummary) => number }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'dcs', label: 'DCs', count: (s) => s.dcs.length },
  { id: 'updates', label: 'Updates' },
  { id: 'peers', label: 'Peers', count: (s) => s.peers.total },
  { id: 'min', label: 'Min peers', count: (s) => s.minPeers },
];

function Header({ session }: { session: OpenSession }) {
  const { openDialog, entries, formats } = useStore(useShallow((s) => ({ openDialog: s.openDialog, entries: s.entries, formats: s.formats })));
  const s = session.summary;
  const entry = entries.find((e) => e.path === session.path);
  const focusTitle = useStore((st) => st.focusTitle);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!focusTitle) return;
    title.current?.focus();
    useStore.setState({ focusTitle: false });
  }, [focusTitle]);
  return (
    <div className="head-row">
      <div style={{ minWidth: 0 }}>
        <h1 data-testid="session-title" tabIndex={-1} ref={title}>
          {session.title}
        </h1>
        <div className="path mono small">{session.path ?? 'Pasted string: held in memory only, nothing written yet'}</div>
        <div className="badges">
          <Badge tone="fmt">{formatShort(s.format)}</Badge>
          {s.homeDc !== null && <Badge>DC {s.homeDc}</Badge>}
          {s.testMode !== null && <Badge tone={s.testMode ? 'violet' : 'ok'}>{s.testMode ? 'test' : 'production'}</Badge>}
          {s.user?.isBot && <Badge>bot</Badge>}
          {entry?.likelyExpired && <Badge tone="danger">likely expired</Badge>}
          {s.warnings.length > 0 && <Badge tone="warn">{s.warnings.length} warning{s.warnings.length === 1 ? '' : 's'}</Badge>}
          {entry && entry.duplicates.length > 0 && <Badge tone="danger">duplicate</Badge>}
          {entry && <LabelChips labels={entry.labels} />}
        </div>
      </div>
      <div className="actions">
        <button className="btn primary" onClick={() => openDialog({ type: 'export' })} data-testid="action-export">
          <Icon name="export" /> Export string
        </button>
        <button className="btn" onClick={() => openDialog({ type: 'convert' })} data-testid="action-convert">
          <Icon name="convert" /> Convert
        </button>
        {session.path && (
          <>
            {formats.find((f) => f.id === s.format)?.editable !== false && (
              <button className="btn" onClick={() => openDialog({ type: 'edit' })} data-testid="action-edit">
                <Icon name="edit" /> Edit
              </button>
            )}
            {/* A store's session is no file to trash: it is deleted from its store, backed up first. */}
            {formats.find((f) => f.id === s.format)?.medium === 'store' ? (
              <button className="btn danger" onClick={() => openDialog({ type: 'storeDelete' })} aria-label="Delete from the store" title="Delete from the store" data-testid="action-store-delete">
                <Icon name="trash" />
              </button>
            ) : (
              <button className="btn danger" onClick={() => openDialog({ type: 'trash' })} aria-label="Move to trash" title="Move to trash">
                <Icon name="trash" />
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}

export function SessionView() {
  const { session, sessionError, tab, setTab, selected, opening, entries, reopen } = useStore(useShallow((s) => ({ session: s.session, sessionError: s.sessionError, tab: s.tab, setTab: s.setTab, selected: s.selected, opening: s.opening, entries: s.entries, reopen: s.reopen })));
  if (!selected) return <main className="main"><Empty /></main>;
  if (sessionError) {
    // A refusal with a remedy (a database in use) is passing; any other is about the file itself.
    const passing = remedyOf(sessionError.code) !== null;
    return (
      <main className="main">
        <div className="empty">
          <div className="empty-box">
            <h2 data-testid="session-title">{entries.find((e) => e.path === selected)?.name ?? selected.split(/[\\/]/).pop()}</h2>
            <p className="muted">{passing ? 'Session Deck could not read it just now.' : 'This file cannot be opened as a session.'}</p>
            <div style={{ textAlign: 'left' }}>
              <ErrorLine error={sessionError} onRetry={reopen} />
            </div>
            {!passing && <p style={{ marginTop: 12 }}>Session Deck never changes a file it cannot read. If it is a session of a library we support, tell us which.</p>}
          </div>
        </div>
      </main>
    );
  }
  if (!session || session.ref !== selected) {
    return <main className="main"><div className="empty">{opening && <div className="spinner" />}</div></main>;
  }
  const s = session.summary;
  const entry = session.path === null ? undefined : entries.find((e) => e.path === session.path);
  return (
    <main className="main">
      <div className="head">
        <Header session={session} />
        {entry && <DuplicateWarning entry={entry} />}
        <nav className="tabs" role="tablist" aria-label="Session" onKeyDown={(e) => moveTab(e, tab, setTab)}>
          {TABS.map((t) => (
            <button
              key={t.id}
              id={`tab-${t.id}`}
              role="tab"
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className={`tab ${tab === t.id ? 'on' : ''}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
              {t.count && <span className="count">{num(t.count(s))}</span>}
            </button>
          ))}
        </nav>
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'overview' && <Overview s={s} entry={entry} />}
        {tab === 'dcs' && <DcTable s={s} />}
        {tab === 'updates' && <Updates s={s} />}
        {tab === 'peers' && <PeersTab key={session.ref} sessionRef={session.ref} total={s.peers.total} />}
        {tab === 'min' && <MinPeersTab key={session.ref} sessionRef={session.ref} />}
      </div>
    </main>
  );
}

/** The tab list's keys: Left and Right move to the next tab (wrapping), Home and End to the ends; focus follows. */
function moveTab(e: ReactKeyboardEvent, tab: Tab, setTab: (t: Tab) => void): void {
  const at = TABS.findIndex((t) => t.id === tab);
  const to = e.key === 'ArrowRight' ? (at + 1) % TABS.length : e.key === 'ArrowLeft' ? (at - 1 + TABS.length) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
  if (to < 0) return;
  e.preventDefault();
  const next = TABS[to]!.id;
  setTab(next);
  document.getElementById(`tab-${next}`)?.focus();
}

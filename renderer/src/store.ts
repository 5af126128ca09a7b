/** App state (zustand): the library, the open session, dialogs, jobs, and the actions on them. */
import { create } from 'zustand';
import type { FormatInfo, JobEvent, Res, Settings } from '../../shared/contract.js';
import type { LibraryEntry, SessionSummary } from '../../shared/dto.js';
import type { LibraryFilter, LibrarySort } from '../../shared/library-view.js';
import { api } from './api.js';
import { failureOf, type Failure } from './remedies.js';

export type Tab = 'overview' | 'dcs' | 'updates' | 'peers' | 'min';

export type Dialog =
  | { type: 'export' }
  | { type: 'convert' }
  | { type: 'edit' }
  | { type: 'import' }
  /** `dropped`: names of files dropped on the web page (the browser gives names, never paths). */
  | { type: 'add'; dropped?: string[] }
  | { type: 'store' }
  | { type: 'storeDelete' }
  | { type: 'settings' }
  | { type: 'finder' }
  | { type: 'trash' }
  | { type: 'backup' }
  | { type: 'restore' }
  | { type: 'batch' }
  | { type: 'cleanup' }
  /** `path`: an account of a tdata behind a local passcode. */
  | { type: 'unlock'; path: string };

export interface OpenSession {
  ref: string;
  /** File name, or "Pasted string" for an import. */
  title: string;
  path: string | null;
  summary: SessionSummary;
}

export interface Imported {
  ref: string;
  title: string;
  summary: SessionSummary;
}

export type SidebarFilter = LibraryFilter;
export type SidebarSort = LibrarySort;

interface State {
  mode: 'electron' | 'web' | null;
  appDataDir: string;
  homeDir: string;
  formats: FormatInfo[];
  settings: Settings | null;
  roots: Res<'library.list'>['roots'];
  entries: LibraryEntry[];
  scanning: boolean;
  loaded: boolean;
  jobs: Record<string, JobEvent>;
  imported: Imported[];
  /** Library entries ticked in the sidebar, for Back up and Convert. */
  checked: string[];
  selected: string | null;
  session: OpenSession | null;
  sessionError: Failure | null;
  opening: boolean;
  /** Set by the finder: the next session shown takes the keyboard focus (its title). */
  focusTitle: boolean;
  tab: Tab;
  dialog: Dialog | null;
  search: string;
  filter: SidebarFilter;
  sort: SidebarSort;
  /** The sidebar's label filter: only sessions with this label, or all. */
  label: string | null;
  toast: { text: string; kind: 'ok' | 'error' } | null;
  /** A peer search handed over by the finder (Ctrl-K) to the Peers tab. */
  peerSeed: string;
  fatal: string | null;

  init(): Promise<void>;
  refreshLibrary(): Promise<void>;
  select(ref: string): Promise<void>;
  reopen(): Promise<void>;
  addImported(i: Imported): void;
  setTab(tab: Tab): void;
  openDialog(d: Dialog | null): void;
  set(patch: Partial<Pick<State, 'search' | 'filter' | 'sort' | 'label' | 'peerSeed' | 'selected' | 'session' | 'checked'>>): void;
  toggleChecked(path: string): void;
  addPaths(paths: string[]): Promise<void>;
  /** Replaces a session's labels and note, then refreshes the library so the sidebar shows them. */
  saveLabels(path: string, labels: string[], note: string | null): Promise<void>;
  saveSettings(patch: Partial<Settings>): Promise<void>;
  onJob(e: JobEvent): void;
  notify(text: string, kind?: 'ok' | 'error'): void;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

export const useStore = create<State>((set, get) => ({
  mode: null,
  appDataDir: '',
  homeDir: '',
  formats: [],
  settings: null,
  roots: [],
  entries: [],
  scanning: false,
  loaded: false,
  jobs: {},
  imported: [],
  checked: [],
  selected: null,
  session: null,
  sessionError: null,
  opening: false,
  focusTitle: false,
  tab: 'overview',
  dialog: null,
  search: '',
  filter: 'all',
  sort: 'name',
  label: null,
  toast: null,
  peerSeed: '',
  fatal: null,

  async init() {
    try {
      const info = await api['app.info']({});
      set({ mode: info.mode, formats: info.formats, settings: info.settings, appDataDir: info.appDataDir, homeDir: info.homeDir });
      await get().refreshLibrary();
    } catch (e) {
      set({ fatal: (e as Error).message });
    }
  },

  async refreshLibrary() {
    const lib = await api['library.list']({});
    const present = new Set(lib.entries.map((e) => e.path));
    set({ roots: lib.roots, entries: lib.entries, scanning: lib.scanning, loaded: true, checked: get().checked.filter((p) => present.has(p)) });
  },

  toggleChecked(path) {
    const { checked } = get();
    set({ checked: checked.includes(path) ? checked.filter((p) => p !== path) : [...checked, path] });
  },

  async addPaths(paths) {
    if (paths.length === 0) return;
    await api['library.add']({ paths });
    await get().refreshLibrary();
  },

  async saveLabels(path, labels, note) {
    await api['labels.set']({ path, labels, note });
    await get().refreshLibrary();
  },

  async select(ref) {
    const imported = get().imported.find((i) => i.ref === ref);
    set({ selected: ref, opening: true, sessionError: null });
    try {
      const r = await api['session.open']({ ref });
      if (get().selected !== ref) return;
      // A library entry's own name ("tdata · account 2" for a Desktop account's settings file).
      const title = imported?.title ?? get().entries.find((e) => e.path === ref)?.name ?? ref.split(/[\\/]/).pop() ?? ref;
      set({ session: { ref, title, path: imported ? null : ref, summary: r.summary }, opening: false });
    } catch (e) {
      if (get().selected !== ref) return;
      set({ session: null, sessionError: failureOf(e), opening: false });
    }
  },

  async reopen() {
    const ref = get().selected;
    if (ref) await get().select(ref);
  },

  addImported(i) {
    set({ imported: [i, ...get().imported.filter((x) => x.ref !== i.ref)] });
  },

  setTab: (tab) => set({ tab }),
  openDialog: (dialog) => set({ dialog }),
  set: (patch) => set(patch),

  async saveSettings(patch) {
    const settings = await api['settings.set'](patch);
    set({ settings });
    await get().refreshLibrary();
  },

  onJob(e) {
    set({ jobs: { ...get().jobs, [e.jobId]: e } });
    if (e.state !== 'running') {
      // A dialog shows its own job's failure in place; a toast is for work behind the page.
      if (e.state === 'failed' && get().dialog === null) get().notify(`${e.label}: ${e.message ?? 'failed'}`, 'error');
      setTimeout(() => {
        const { [e.jobId]: _gone, ...rest } = get().jobs;
        set({ jobs: rest });
      }, 1200);
    }
  },

  notify(text, kind = 'ok') {
    clearTimeout(toastTimer);
    set({ toast: { text, kind } });
    toastTimer = setTimeout(() => set({ toast: null }), kind === 'error' ? 7000 : 3500);
  },
}));

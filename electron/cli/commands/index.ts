/**
 * The CLI's commands by name, each loaded only when it runs: `sessiondeck formats` does not
 * load SQLite, age or the web server. The summaries live here so `--help` loads none of them.
 */
import type { Command } from '../args.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'inspect', summary: 'show the detected format, whose account it is and what a session holds (never its keys)', load: async () => (await import('./inspect.js')).inspectCommand },
  { name: 'list', summary: 'the sessions under folders and files, grouped by account, as the app sees them', load: async () => (await import('./list.js')).listCommand },
  { name: 'label', summary: "add or remove a session's labels and set its note (they follow its login)", load: async () => (await import('./label.js')).labelCommand },
  { name: 'convert', summary: 'convert one or many sessions to another format, with a loss report', load: async () => (await import('./convert.js')).convertCommand },
  { name: 'export', summary: 'print a session as a string for another library (report on stderr)', load: async () => (await import('./export.js')).exportCommand },
  { name: 'import', summary: 'write a session string into a session file of any format', load: async () => (await import('./import.js')).importCommand },
  { name: 'delete', summary: 'delete a session from a shared store, after an automatic encrypted backup', load: async () => (await import('./delete.js')).deleteCommand },
  { name: 'backup', summary: 'back up session files, folders and stores into one encrypted .tar.age archive', load: async () => (await import('./backup.js')).backupCommand },
  { name: 'restore', summary: 'restore a backup into a folder (all or nothing) or into a store', load: async () => (await import('./backup.js')).restoreCommand },
  { name: 'verify', summary: 'check a backup: passphrase, authentication and every file hash; writes nothing', load: async () => (await import('./backup.js')).verifyCommand },
  { name: 'formats', summary: 'list the formats Session Deck reads and writes', load: async () => (await import('./formats.js')).formatsCommand },
  { name: 'serve', summary: 'open the app in a browser: the web mode on 127.0.0.1 with a private token', load: async () => (await import('./serve.js')).serveCommand },
];

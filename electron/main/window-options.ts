/**
 * The one window's options, as plain data so a test can assert every security setting
 * without the Electron runtime: context isolation, the sandbox, no Node anywhere in the
 * renderer, web security on, no <webview>, no navigation by dropping a file on the window.
 */
import type { BrowserWindowConstructorOptions, Rectangle, WebPreferences } from 'electron';
import { APP_NAME } from '../services/app-data.js';

export interface WindowOptionsInput {
  /** Saved size and position (window-state.ts). */
  bounds: Partial<Rectangle>;
  /** The bundled preload script (CommonJS, the only code with the bridge). */
  preload: string;
  dark: boolean;
  /** Off in packaged builds. */
  devTools: boolean;
}

export function secureWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // A file dropped on the window goes to our drop handler, never becomes a navigation.
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools,
    spellcheck: false,
  };
}

export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...input.bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: APP_NAME,
    backgroundColor: input.dark ? '#111318' : '#f6f7f9',
    webPreferences: secureWebPreferences(input.preload, input.devTools),
  };
}

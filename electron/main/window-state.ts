/** The window's size and position, remembered between runs (ignored when off every screen). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';

interface State extends Partial<Rectangle> {
  maximized?: boolean;
}

export function loadWindowState(dir: string): State {
  const file = join(dir, 'window-state.json');
  if (!existsSync(file)) return { width: 1320, height: 840 };
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as State;
    const visible =
      s.x === undefined ||
      screen.getAllDisplays().some((d) => s.x! < d.workArea.x + d.workArea.width && s.x! + (s.width ?? 0) > d.workArea.x && s.y! >= d.workArea.y - 20 && s.y! < d.workArea.y + d.workArea.height);
    return visible ? s : { width: s.width, height: s.height, maximized: s.maximized };
  } catch {
    return { width: 1320, height: 840 };
  }
}

export function trackWindowState(win: BrowserWindow, dir: string): void {
  const save = () => {
    const state: State = { ...win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeFileSync(join(dir, 'window-state.json'), JSON.stringify(state));
    } catch {
      /* a read-only profile only loses the window position */
    }
  };
  win.on('close', save);
}

/** User settings in settings.json in the app data folder; unknown or bad values fall back to defaults. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SettingsSchema, type Settings } from '../../shared/contract.js';
import { DEFAULT_SETTINGS } from '../../shared/settings-defaults.js';
import { writeFileAtomic } from '../core/fs/atomic.js';

export class SettingsStore {
  private current: Settings;
  private readonly file: string;

  constructor(appDataDir: string) {
    this.file = join(appDataDir, 'settings.json');
    this.current = load(this.file);
  }

  get(): Settings {
    return { ...this.current };
  }

  update(patch: Partial<Settings>): Settings {
    this.current = SettingsSchema.parse({ ...this.current, ...patch });
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify(this.current, null, 2));
    return this.get();
  }
}

function load(file: string): Settings {
  if (!existsSync(file)) return { ...DEFAULT_SETTINGS };
  try {
    const parsed = SettingsSchema.partial().safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** The settings a new install starts with; apart from the contract so the UI bundle needs no zod for them. */
import type { Settings } from './contract.js';

export const DEFAULT_SETTINGS: Settings = {
  authTtlDays: 183,
  clipboardClearSeconds: 30,
  theme: 'system',
  autoBackupKeepLast: 50,
  autoBackupMaxAgeDays: 90,
};

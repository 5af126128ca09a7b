/** Display helpers: numbers, dates, relative times, format names. */
import type { FormatInfo } from '../../shared/contract.js';

export const num = (n: number): string => n.toLocaleString('en-US');

export function dateTime(unixSec: number): string {
  if (unixSec <= 0) return 'never';
  return new Date(unixSec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function ago(ms: number, now = Date.now()): string {
  if (ms <= 0) return '';
  const s = Math.round((now - ms) / 1000);
  if (s < 60) return 'just now';
  const units: [number, string][] = [
    [60, 'min'],
    [3600, 'h'],
    [86400, 'd'],
    [86400 * 30, 'mo'],
    [86400 * 365, 'y'],
  ];
  let out = '';
  for (const [size, label] of units) if (s >= size) out = `${Math.floor(s / size)} ${label}`;
  return `${out} ago`;
}

export function formatLabel(formats: FormatInfo[], id: string | null): string {
  if (!id) return 'unknown';
  return formats.find((f) => f.id === id)?.label ?? id;
}

/** Short badge text for a format id: "telethon", "pyrogram-string" → "Pyrogram string". */
export function formatShort(id: string | null): string {
  if (!id) return 'unknown';
  const [lib, ...rest] = id.split('-');
  const name = { telethon: 'Telethon', pyrogram: 'Pyrogram', kurigram: 'Kurigram', pyrofork: 'PyroFork', gramjs: 'GramJS', mtcute: 'mtcute', mtkruto: 'MTKruto', grammers: 'grammers', ferogram: 'ferogram', tdata: 'Telegram Desktop' }[lib ?? ''] ?? lib;
  return [name, ...rest].join(' ');
}

export const bytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Names with a time in them: automatic backups (`auto-<stamp>[-n].tar.age`), which retention
 * may delete, and files moved aside by a restore. Stamps are UTC, sortable, file-name-safe.
 */
const STAMP = String.raw`(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z`;
const AUTO_RE = new RegExp(String.raw`^auto-${STAMP}(?:-(\d+))?\.tar\.age$`);

/** 2024-01-02T03-04-05-678Z */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/:/g, '-').replace('.', '-');
}

/** The n-th (1-based) candidate name for an automatic backup made at `d`. */
export function autoBackupName(d: Date, n = 1): string {
  return `auto-${fileStamp(d)}${n > 1 ? `-${n}` : ''}.tar.age`;
}

/** When an automatic backup was made, from its name; undefined for any other name. */
export function parseAutoBackupName(name: string): { at: Date; n: number } | undefined {
  const m = AUTO_RE.exec(name);
  if (!m) return undefined;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
  if (Number.isNaN(at.getTime())) return undefined;
  return { at, n: m[8] === undefined ? 1 : Number(m[8]) };
}

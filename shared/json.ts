/**
 * JSON with bigint: 64-bit values travel as decimal strings (an access hash does not fit a
 * JS number). Used by the CLI, the web mode's HTTP transport and the tests.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);
}

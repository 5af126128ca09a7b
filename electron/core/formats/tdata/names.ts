/**
 * tdata's file names. The accounts are numbered by their index in key_datas: index 0 has the
 * data name `data` (or the `-key` value Desktop was started with), index i the name with `#`
 * removed and `#<i + 1>` appended (main_account.cpp, ComposeDataString). An account's files
 * are named by the first 8 bytes of MD5(data name) read as a little-endian uint64 and written
 * from its lowest nibble up in upper-case hex (ToFilePart): each byte's two hex digits swapped.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_DATA_KEY = 'data';

/** The data name of the account at `index` (0-based, as stored in key_datas). */
export function dataNameOf(index: number, dataKey = DEFAULT_DATA_KEY): string {
  const base = dataKey.replaceAll('#', '');
  return index > 0 ? `${base}#${index + 1}` : base;
}

const HEX = '0123456789ABCDEF';

/** The 16-character file part of a data name: `D877F783D5D3EF8C` for `data`. */
export function filePartOf(dataName: string): string {
  const md5 = createHash('md5').update(dataName, 'utf8').digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += HEX[md5[i]! & 0x0f]! + HEX[md5[i]! >> 4]!;
  return out;
}

/** The logical name of the key file (key_datas is its `s` variant). */
export function keyFileBase(dataKey = DEFAULT_DATA_KEY): string {
  return `key_${dataKey}`;
}

import { decodeBase64Digits, viewOf } from '../../electron/core/bytes.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { sampleSession } from './sample-session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
const f = FORMATS.find((x) => x.id === 'telethon-string') as StringFormat;
const texts = Array.from({ length: 1000 }, (_, i) => f.encode(prepareConversion(sampleSession(i), 'ferogram', f.id).session));
const mode = process.argv[2];
const fns: Record<string, (t: string) => unknown> = {
  digits: (t) => decodeBase64Digits(t.slice(1, -1), 'base64url'),
  view: (t) => { const b = decodeBase64Digits(t.slice(1, -1), 'base64url')!; return viewOf(b, 7, 263); },
  bufferfrom: (t) => Buffer.from(t.slice(1, -1), 'base64url'),
  session: (t) => { const s = emptySession(); s.dcs = [makeDc({ id: 2, address: 'a', port: 1 })]; return s; },
  full: (t) => f.decode(t),
};
const fn = fns[mode]!;
const out: string[] = [];
for (let c = 0; c < 20; c++) { const t0 = performance.now(); for (let i = 0; i < 10000; i++) fn(texts[i % 1000]!); out.push((performance.now() - t0).toFixed(0)); }
console.log(mode, out.join(' '));

import { parseTelethonSession } from '@mtcute/convert';
import { FORMATS } from '../../electron/core/formats/registry.js';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { sampleSession } from '../../test/bench/sample-session.js';
import { decodeBase64Digits, copyBytes } from '../../electron/core/bytes.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { ipBytesToText } from '../../electron/core/model/ip.js';
const f = FORMATS.find((x) => x.id === 'telethon-string')! as any;
const texts = Array.from({ length: 1000 }, (_, i) => f.encode(prepareConversion(sampleSession(i), 'ferogram', f.id).session) as string);
const N = 100000;
function bench(name: string, fn: (t: string) => unknown) {
  let ms = 0;
  for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (let i = 0; i < N; i++) fn(texts[i % 1000]!); ms = performance.now() - t0; }
  console.log(name.padEnd(20), (ms / N * 1e6).toFixed(0), 'ns');
}
const b0 = decodeBase64Digits(texts[0]!.slice(1, -1), 'base64url')!;
for (let k = 0; k < 2; k++) {
bench('mtcute', (t) => parseTelethonSession(t));
bench('ours', (t) => f.decode(t));
bench('trim+slice', (t) => t.trim().slice(1, -1));
bench('decodeDigits', (t) => decodeBase64Digits(t.slice(1, -1), 'base64url'));
bench('copyBytes', () => copyBytes(b0, 7, 263));
bench('emptySession', () => emptySession());
bench('makeDc', () => makeDc({ id: 2, address: 'x', port: 443, ipv6: false }));
bench('ipBytesToText', () => ipBytesToText(b0.subarray(1, 5)));
bench('result obj', () => ({ format: 'telethon-string', formatVersion: '1', session: null, warnings: [] }));
}

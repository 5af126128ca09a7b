import { parseTelethonSession } from '@mtcute/convert';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { sampleSession } from './sample-session.js';
const bases = Array.from({ length: 1000 }, (_, i) => sampleSession(i));
const f = FORMATS.find((x) => x.id === process.argv[2]) as StringFormat;
const texts = bases.map((s) => f.encode(prepareConversion(s, 'ferogram', f.id).session));
function chunks(name: string, fn: (t: string) => unknown) {
  const out: string[] = [];
  for (let c = 0; c < 10; c++) { const t0 = performance.now(); for (let i = 0; i < 10000; i++) fn(texts[i % 1000]!); out.push((performance.now() - t0).toFixed(0)); }
  console.log(name, out.join(' '));
}
chunks('ours', (t) => f.decode(t));
console.log("T", performance.now()); chunks('mtcute', (t) => parseTelethonSession(t));; console.log("T", performance.now());
chunks('ours', (t) => f.decode(t));

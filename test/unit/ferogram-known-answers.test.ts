import { describe, expect, it } from 'vitest';
import { decodeFerogramBinary, encodeFerogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { ferogramString } from '../../electron/core/formats/ferogram-strings.js';
import { emptySession } from '../../electron/core/model/session.js';
import { toHex } from '../../electron/core/bytes.js';

describe('ferogram known answers (spec §1.2)', () => {
  it('default session is 29 bytes: 08 then zeros, native string CAAA…', () => {
    const bytes = encodeFerogramBinary(emptySession());
    expect(toHex(bytes)).toBe('08' + '00'.repeat(28));
    expect(ferogramString.encode(emptySession())).toBe('CAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  });

  it('home 2 with future token [1..5]', () => {
    const s = emptySession();
    s.homeDc = 2;
    s.futureAuthToken = new Uint8Array([1, 2, 3, 4, 5]);
    const hex = '080200000000000000000000000000000000000000000000000000000105000102030405';
    expect(toHex(encodeFerogramBinary(s))).toBe(hex);
    const back = decodeFerogramBinary(Buffer.from(hex, 'hex'));
    expect(back.version).toBe(8);
    expect(back.session.homeDc).toBe(2);
    expect(Array.from(back.session.futureAuthToken ?? [])).toEqual([1, 2, 3, 4, 5]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScaleCodecError } from '../../../../drivers/scales/codec-error';
import {
  bcc, decodeEcrFrame, decodeIndicatorLine, encodeEcrFrame, encodeIndicatorLine, scanEcrFrame, scanIndicatorLine,
  type CasWeight, type IndicatorLine,
} from '../../../../drivers/scales/cas/codec';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('CAS ENQ/DC1 frame both ways', () => {
  it('lays out SOH STX STA SIGN W1..W6 U1 U2 BCC ETX EOT', () => {
    const f = encodeEcrFrame({ status: 'stable', grams: 1_234, unit: 'kg' });
    expect(f.length).toBe(15);
    expect(String.fromCharCode(...f.subarray(2, 12))).toBe('S  1.234kg');
    expect(f[12]).toBe(bcc(f.subarray(2, 12)));
    expect([f[0], f[1], f[13], f[14]]).toEqual([0x01, 0x02, 0x03, 0x04]);
  });

  it('reads a hand-made frame with a sign and a leading-zero weight', () => {
    const body = bytes('U-01.500kg');
    const frame = Uint8Array.from([0x01, 0x02, ...body, bcc(body), 0x03, 0x04]);
    expect(decodeEcrFrame(frame)).toEqual({ status: 'unstable', grams: -1_500, unit: 'kg' });
  });

  it('round-trips any weight that fits six characters', () => {
    fc.assert(fc.property(fc.constantFrom('stable', 'unstable', 'overload'), fc.integer({ min: -99_999, max: 99_999 }), fc.constantFrom('kg', 'g'),
      (status, grams, unit) => {
        const w = { status, grams, unit } as CasWeight;
        expect(decodeEcrFrame(encodeEcrFrame(w))).toEqual(w);
      }));
  });

  it('refuses pounds with the unit in the details, and a wrong BCC unless told to ignore it', () => {
    const body = bytes('S  1.000lb');
    const frame = Uint8Array.from([0x01, 0x02, ...body, bcc(body), 0x03, 0x04]);
    expect(() => decodeEcrFrame(frame)).toThrow(expect.objectContaining({ details: { unit: 'lb' } }));
    const good = encodeEcrFrame({ status: 'stable', grams: 5, unit: 'kg' });
    good[12] = good[12]! ^ 0xff;
    expect(() => decodeEcrFrame(good)).toThrow(expect.objectContaining({ code: 'bad-checksum' }));
    expect(decodeEcrFrame(good, 'ignore').grams).toBe(5);
  });
});

describe('CAS indicator line both ways', () => {
  it('reads the manual\'s example ST,GS,+  4.876kg', () => {
    expect(decodeIndicatorLine(bytes('ST,GS,+  4.876kg\r\n'))).toEqual({ status: 'stable', grams: 4_876, unit: 'kg', net: false });
  });

  it('ignores id and lamp bytes between the second comma and the weight', () => {
    expect(decodeIndicatorLine(bytes('US,NT,1@,-  0.250kg\r\n'))).toEqual({ status: 'unstable', grams: -250, unit: 'kg', net: true });
  });

  it('round-trips any line', () => {
    fc.assert(fc.property(fc.constantFrom('stable', 'unstable', 'overload'), fc.integer({ min: -999_999, max: 999_999 }), fc.constantFrom('kg', 'g'), fc.boolean(),
      (status, grams, unit, net) => {
        const l = { status, grams, unit, net } as IndicatorLine;
        expect(decodeIndicatorLine(encodeIndicatorLine(l))).toEqual(l);
      }));
  });
});

describe('CAS codecs fed garbage', () => {
  it('throw nothing but ScaleCodecError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      for (const f of [() => decodeEcrFrame(b), () => decodeIndicatorLine(b), () => decodeEcrFrame(Uint8Array.from([1, 2, ...b]).slice(0, 15))]) {
        try { f(); } catch (e) { expect(e).toBeInstanceOf(ScaleCodecError); }
      }
    }), { numRuns: 2_000 });
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => {
      try { decodeIndicatorLine(bytes(`ST,GS,${s}\r\n`)); } catch (e) { expect(e).toBeInstanceOf(ScaleCodecError); }
    }), { numRuns: 2_000 });
  });

  it('the scanners always make progress on any input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (b) => {
      for (const scan of [scanEcrFrame, scanIndicatorLine]) {
        const s = scan(b);
        expect(s.drop).toBeGreaterThanOrEqual(0);
        expect(s.drop).toBeLessThanOrEqual(b.length);
        if (s.drop === 0 && s.length !== null) expect(s.length).toBeGreaterThan(0);
      }
    }));
  });
});

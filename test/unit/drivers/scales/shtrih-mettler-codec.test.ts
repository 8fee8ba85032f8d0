import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../../drivers/fiscal/shtrih/codec';
import { ScaleCodecError } from '../../../../drivers/scales/codec-error';
import { CMD, STATUS, decodeAnswer, decodeRequest, encodeAnswer, encodeRequest, type ShtrihScaleRequest } from '../../../../drivers/scales/shtrih/codec';
import { readingOf as shtrihReading } from '../../../../drivers/scales/shtrih/driver';
import { STATUS_BIT, decodeAnswer as decodeMettler, encodeAnswer as encodeMettler, scanAnswer } from '../../../../drivers/scales/mettler8217/codec';
import { readingOf as mettlerReading } from '../../../../drivers/scales/mettler8217/driver';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('Shtrih-M scale commands both ways', () => {
  const requests: ShtrihScaleRequest[] = [
    { kind: 'read-channel', password: '0030' }, { kind: 'zero', password: '0030' }, { kind: 'tare', password: '1234' },
    { kind: 'set-tare', password: '0030', tareGrams: 65_535 },
  ];
  it.each(requests)('request %o survives a POS2 frame', (r) => {
    expect(decodeRequest(decodeFrame(encodeFrame(encodeRequest(r))))).toEqual(r);
  });

  it('lays out 0x3A as CMD, password, and its answer as CMD RC status weight tare', () => {
    expect(encodeRequest({ kind: 'read-channel', password: '0030' })).toEqual(Uint8Array.of(0x3a, 0x30, 0x30, 0x33, 0x30));
    expect(encodeAnswer(CMD.READ_CHANNEL, 0, { status: 0x0114, weightGrams: -2, tareGrams: 300 }))
      .toEqual(Uint8Array.of(0x3a, 0x00, 0x14, 0x01, 0xfe, 0xff, 0xff, 0xff, 0x2c, 0x01));
  });

  it('round-trips any weight answer', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x3ff }), fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), fc.integer({ min: 0, max: 0xffff }),
      (status, weightGrams, tareGrams) => {
        expect(decodeAnswer(encodeAnswer(CMD.READ_CHANNEL, 0, { status, weightGrams, tareGrams })).reading).toEqual({ status, weightGrams, tareGrams });
      }));
  });

  it('maps the status bits to states', () => {
    const r = (status: number, weightGrams = 100) => shtrihReading({ status, weightGrams, tareGrams: 0 }).state;
    expect(r(STATUS.STABLE)).toBe('stable');
    expect(r(0)).toBe('unstable');
    expect(r(STATUS.STABLE, 0)).toBe('zero');
    expect(r(STATUS.STABLE | STATUS.OVERLOAD)).toBe('overload');
    expect(r(STATUS.UNDERLOAD, -5)).toBe('underload');
    expect(r(STATUS.STABLE | STATUS.ADC_SILENT)).toBe('error');
  });

  it('throws nothing but ScaleCodecError on garbage', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 30 }), (b) => {
      for (const f of [() => decodeAnswer(b), () => decodeRequest(b)]) {
        try { f(); } catch (e) { expect(e).toBeInstanceOf(ScaleCodecError); }
      }
    }), { numRuns: 2_000 });
  });
});

describe('Mettler Toledo 8217 answers both ways', () => {
  it('reads STX 001.234 CR and STX 000.500N CR', () => {
    expect(decodeMettler(bytes('\x02001.234\r'))).toEqual({ kind: 'weight', grams: 1_234, net: false });
    expect(decodeMettler(bytes('\x02000.500N\r'))).toEqual({ kind: 'weight', grams: 500, net: true });
    expect(encodeMettler({ kind: 'weight', grams: 1_234, net: false })).toEqual(bytes('\x02001.234\r'));
  });

  it('reads a status answer and maps its bits', () => {
    expect(decodeMettler(bytes('\x02?A\r'))).toEqual({ kind: 'status', bits: STATUS_BIT.MOTION });
    const state = (bits: number) => mettlerReading({ kind: 'status', bits }).state;
    expect(state(STATUS_BIT.MOTION)).toBe('unstable');
    expect(state(STATUS_BIT.OVER_CAPACITY | STATUS_BIT.MOTION)).toBe('overload');
    expect(state(STATUS_BIT.NEGATIVE)).toBe('underload');
    expect(state(STATUS_BIT.OUTSIDE_ZERO_RANGE)).toBe('error');
  });

  it('round-trips any answer', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), fc.boolean(), (grams, net) => {
      expect(decodeMettler(encodeMettler({ kind: 'weight', grams, net }))).toEqual({ kind: 'weight', grams, net });
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x3f }), (bits) => {
      expect(decodeMettler(encodeMettler({ kind: 'status', bits }))).toEqual({ kind: 'status', bits });
    }));
  });

  it('throws nothing but ScaleCodecError on garbage, and its scanner always progresses', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (b) => {
      try { decodeMettler(Uint8Array.from([0x02, ...b, 0x0d])); } catch (e) { expect(e).toBeInstanceOf(ScaleCodecError); }
      try { decodeMettler(b); } catch (e) { expect(e).toBeInstanceOf(ScaleCodecError); }
      const s = scanAnswer(b);
      expect(s.drop).toBeLessThanOrEqual(b.length);
    }), { numRuns: 2_000 });
  });
});

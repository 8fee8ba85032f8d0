import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScaleCodecError } from '../../../../drivers/scales/codec-error';
import {
  decodeFrame, decodeReply, decodeRequest, divisionsToGrams, encodeFrame, encodeReply, encodeRequest, gramsToDivisions,
  massakCrc, scanFrame, type DivisionCode, type MassakReply, type MassakRequest,
} from '../../../../drivers/scales/massak/codec';
import { readingOf } from '../../../../drivers/scales/massak/driver';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));

/** CRC-16/XMODEM, written independently, for the equivalence stated in the reference. */
function xmodem(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('Massa-K CRC', () => {
  it('matches the GET_MASSA request F8 55 CE 01 00 23 23 00', () => {
    expect(encodeRequest({ kind: 'get-massa' })).toEqual(hex('F8 55 CE 01 00 23 23 00'));
  });

  it('matches a captured ACK_MASSA answer ending FC 23', () => {
    const frame = hex('F8 55 CE 0D 00 24 00 00 00 00 01 01 00 01 00 00 00 00 FC 23');
    expect(massakCrc(decodeFrame(frame))).toBe(0x23fc);
    expect(decodeReply(decodeFrame(frame))).toEqual({ kind: 'massa', weight: 0, division: 1, stable: true, net: false, zero: true, tare: 0 });
  });

  it('is not CCITT-FALSE (init 0xFFFF), the mistake of several open drivers', () => {
    expect(massakCrc(Uint8Array.of(0x23))).toBe(0x23);
    expect(massakCrc(Uint8Array.of(0x23))).not.toBe(0x6a60);
  });

  it('equals XMODEM(body without its last two bytes) XOR those two bytes, for any body', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 2, maxLength: 64 }), (body) => {
      const n = body.length;
      expect(massakCrc(body)).toBe(xmodem(body.subarray(0, n - 2)) ^ ((body[n - 2]! << 8) | body[n - 1]!));
    }), { numRuns: 500 });
  });
});

describe('Massa-K frames and commands both ways', () => {
  const requests: MassakRequest[] = [{ kind: 'get-massa' }, { kind: 'set-zero' }, { kind: 'set-tare', tare: 1_234 }, { kind: 'set-tare', tare: -1 }, { kind: 'get-scale-par' }];
  it.each(requests)('request %o survives encode → decode', (r) => {
    expect(decodeRequest(decodeFrame(encodeRequest(r)))).toEqual(r);
  });

  const replies: MassakReply[] = [
    { kind: 'massa', weight: 1_234, division: 1, stable: true, net: false, zero: false, tare: 0 },
    { kind: 'massa', weight: -7, division: 0, stable: false, net: true, zero: false, tare: null },
    { kind: 'ack-set' }, { kind: 'ack' }, { kind: 'nack-tare' }, { kind: 'nack' }, { kind: 'error', code: 8 },
    { kind: 'scale-par', lines: ['НПВ 15 кг', 'МК-15.2'] },
  ];
  it.each(replies)('reply %o survives encode → decode', (r) => {
    expect(decodeReply(decodeFrame(encodeReply(r)))).toEqual(r);
  });

  it('round-trips any weight reply', () => {
    fc.assert(fc.property(
      fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), fc.constantFrom<DivisionCode>(0, 1, 2, 3, 4), fc.boolean(), fc.boolean(), fc.boolean(),
      fc.option(fc.integer({ min: 0, max: 0x7fff_ffff }), { nil: null }),
      (weight, division, stable, net, zero, tare) => {
        const r: MassakReply = { kind: 'massa', weight, division, stable, net, zero, tare };
        expect(decodeReply(decodeFrame(encodeReply(r)))).toEqual(r);
      }));
  });

  it('rejects a flipped bit anywhere in a frame with a typed error or a different frame, never silently', () => {
    const frame = encodeReply({ kind: 'massa', weight: 500, division: 1, stable: true, net: false, zero: false, tare: 0 });
    fc.assert(fc.property(fc.integer({ min: 0, max: frame.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
      const bad = frame.slice();
      bad[at] = bad[at]! ^ (1 << bit);
      expect(() => decodeFrame(bad)).toThrow(ScaleCodecError);
    }));
  });

  it('converts divisions to whole grams without floating point', () => {
    expect(divisionsToGrams(12_345, 0)).toBe(1_235);
    expect(divisionsToGrams(-12_345, 0)).toBe(-1_235);
    expect(divisionsToGrams(1_234, 1)).toBe(1_234);
    expect(divisionsToGrams(123, 2)).toBe(1_230);
    expect(divisionsToGrams(3, 4)).toBe(3_000);
    expect(gramsToDivisions(1_230, 2)).toBe(123);
  });

  it('maps CMD_ERROR 08 to overload and 19 to a device fault reading', () => {
    expect(readingOf({ kind: 'error', code: 0x08 }).state).toBe('overload');
    expect(readingOf({ kind: 'error', code: 0x19 })).toMatchObject({ state: 'error', fault: { code: 'massak-0x19' } });
  });
});

describe('Massa-K codec fed garbage', () => {
  it('decodeFrame and decodeReply throw nothing but ScaleCodecError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, framed) => {
      const input = framed && bytes.length > 0 ? encodeFrame(bytes) : bytes;
      try { decodeReply(decodeFrame(input)); } catch (e) { expect(e).toBeInstanceOf(ScaleCodecError); }
      try { decodeRequest(input); } catch (e) { expect(e).toBeInstanceOf(ScaleCodecError); }
    }), { numRuns: 2_000 });
  });

  it('the scanner finds a frame behind garbage without a header byte, always making progress', () => {
    const frame = encodeRequest({ kind: 'get-massa' });
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xf7 }), { maxLength: 40 }), (noise) => {
      let buf = Uint8Array.from([...noise, ...frame]);
      for (let guard = 0; guard < 200; guard++) {
        const s = scanFrame(buf);
        if (s.drop > 0) { buf = buf.subarray(s.drop); continue; }
        if (s.length !== null && buf.length >= s.length) {
          const candidate = buf.subarray(0, s.length);
          try { return decodeFrame(candidate).length > 0; } catch { buf = buf.subarray(1); continue; }
        }
        return false;
      }
      return false;
    }));
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CodecError, decodeFields, decodeFrame, encodeFrame, lrc, splitCommand } from '../../../../drivers/fiscal/shtrih/codec';
import {
  CMD, COMMANDS, decodeAnswer, decodeMarkingCheckTail, decodeRequest, encodeAnswer, encodeRequest, vatByte, vatFromByte,
} from '../../../../drivers/fiscal/shtrih/commands';
import { decodeTlvs, encodeTlv, tlvString, tlvVln } from '../../../../drivers/fiscal/shtrih/tlv';
import { SHTRIH_ERRORS, shtrihDeviceError } from '../../../../drivers/fiscal/shtrih/errors';
import { parseFaultSpec, FaultSpecError } from '../../../../drivers/fiscal/shtrih/faults';
import { VAT_RATES } from '../../../../src-main/contract/model';

/** A plausible value for every field of every layout. */
function sample(kind: string, size?: number): unknown {
  switch (kind) {
    case 'u8': return 7;
    case 'u16': return 0x1234;
    case 'u32': return 0x12345678;
    case 'u48': return 7_700_000_001;
    case 'money': return 123_456;
    case 'qty6': return 1_500;
    case 'qty5': return 2_000;
    case 'text': return 'Чек'.slice(0, size);
    case 'textRest': return 'Молоко';
    case 'ascii': return 'A'.repeat(size ?? 1);
    case 'bytesRest': return Uint8Array.of(1, 2, 3);
    case 'fnDateTime': return '2026-03-04T12:34';
    case 'date': return '2026-03-04';
    case 'time': return '12:34:56';
    default: throw new Error(kind);
  }
}

describe('Shtrih framing', () => {
  it('frames a short status request as in the spec: STX 05 10 1E 00 00 00 LRC', () => {
    const frame = encodeFrame(encodeRequest(CMD.shortStatus, { password: 30 }));
    expect([...frame]).toEqual([0x02, 0x05, 0x10, 0x1e, 0x00, 0x00, 0x00, 0x05 ^ 0x10 ^ 0x1e]);
  });

  it('two-byte commands go big-endian', () => {
    expect([...encodeRequest(CMD.fnStatus, { password: 30 }).subarray(0, 2)]).toEqual([0xff, 0x01]);
    expect(splitCommand(Uint8Array.of(0xff, 0x46, 9)).code).toBe(0xff46);
  });

  it('LRC round-trips any payload and detects any single corrupted byte', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 255 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (payload, pos, flip) => {
      const frame = encodeFrame(payload);
      expect(decodeFrame(frame)).toEqual(payload);
      expect(frame[frame.length - 1]).toBe(lrc(payload.length, payload));
      const bad = frame.slice();
      const i = 2 + (pos % (payload.length + 1));
      bad[i] = bad[i]! ^ flip;
      expect(() => decodeFrame(bad)).toThrow(CodecError);
    }));
  });

  it('refuses payloads over 255 bytes', () => {
    expect(() => encodeFrame(new Uint8Array(256))).toThrow(expect.objectContaining({ code: 'too-long' }));
  });

  it('garbage never throws anything but CodecError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      for (const fn of [() => decodeFrame(bytes), () => decodeAnswer(bytes), () => decodeRequest(bytes), () => decodeTlvs(bytes)]) {
        try { fn(); } catch (e) { expect(e).toBeInstanceOf(CodecError); }
      }
    }), { numRuns: 2000 });
  });

  it('garbage inside a well-framed frame decodes or fails with CodecError', () => {
    const codes = [...COMMANDS.keys()];
    fc.assert(fc.property(fc.constantFrom(...codes), fc.uint8Array({ maxLength: 200 }), (code, data) => {
      const cmd = code > 0xff ? [0xff, code & 0xff] : [code];
      const payload = Uint8Array.from([...cmd, ...data]);
      for (const fn of [() => decodeRequest(payload), () => decodeAnswer(payload)]) {
        try { fn(); } catch (e) { expect(e).toBeInstanceOf(CodecError); }
      }
    }), { numRuns: 2000 });
  });
});

describe('Shtrih commands both ways', () => {
  for (const spec of COMMANDS.values()) {
    it(`${spec.name} (0x${spec.code.toString(16)}) request and answer round-trip`, () => {
      const req = Object.fromEntries(spec.request.map((f) => [f.name, sample(f.kind, f.size)])) as Record<string, never>;
      const decoded = decodeRequest(encodeRequest(spec.code, req));
      expect(decoded.code).toBe(spec.code);
      expect(decoded.values).toEqual(req);
      const ans = Object.fromEntries(spec.answer.map((f) => [f.name, sample(f.kind, f.size)])) as Record<string, never>;
      const answer = decodeAnswer(encodeAnswer(spec.code, 0, ans));
      expect(answer).toEqual({ code: spec.code, error: 0, values: ans });
      expect(decodeAnswer(encodeAnswer(spec.code, 0x4f))).toEqual({ code: spec.code, error: 0x4f, values: {} });
    });
  }

  it('FF46 is 160 bytes with a 128-byte name and FF45 is 182 bytes with a 64-byte text (reference §1.3)', () => {
    const op = encodeRequest(CMD.operationV2, { password: 30, operationType: 1, quantity: 1000, price: 100, amount: null, taxAmount: null,
      taxRate: 2, department: 1, paymentMethod: 4, itemType: 1, name: 'Я'.repeat(200) });
    expect(op.length).toBe(160);
    const sums = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`sum${i + 1}`, 0]));
    const taxes = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`tax${i + 1}`, 0]));
    expect(encodeRequest(CMD.closeReceiptV2, { password: 30, ...sums, rounding: 0, ...taxes, taxSystem: 1, text: 'x'.repeat(64) }).length).toBe(182);
  });

  it('FF46 quantity is ×10⁶ in 6 bytes and FF×5 means "computed by the register"', () => {
    const op = encodeRequest(CMD.operationV2, { password: 30, operationType: 1, quantity: 1_234, price: 100, amount: null, taxAmount: null,
      taxRate: 2, department: 1, paymentMethod: 4, itemType: 1, name: '' });
    expect([...op.subarray(7, 13)]).toEqual([0x50, 0xd4, 0x12, 0x00, 0x00, 0x00]); // 1 234 000
    expect([...op.subarray(18, 23)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff]);
  });

  it('names are CP1251 on the wire', () => {
    const op = encodeRequest(CMD.legacySale, { password: 1, quantity: 1000, price: 1, department: 1, tax1: 0, tax2: 0, tax3: 0, tax4: 0, text: 'Ёж' });
    expect([...op.subarray(op.length - 40, op.length - 38)]).toEqual([0xa8, 0xe6]);
  });

  it('rejects values that do not fit their field', () => {
    expect(() => encodeRequest(CMD.cashIn, { password: 30, amount: 2 ** 40 })).toThrow(CodecError);
    expect(() => encodeRequest(CMD.cashIn, { password: 30, amount: -1 })).toThrow(CodecError);
    expect(() => encodeRequest(CMD.cashIn, { password: 30 })).toThrow(CodecError);
    expect(() => decodeFields([{ name: 'x', kind: 'u32' }], Uint8Array.of(1))).toThrow(CodecError);
  });

  it('decodes the FF61 tail with and without the online reason byte', () => {
    expect(decodeMarkingCheckTail(0, Uint8Array.of(0x0f, 1, 2))).toEqual({ onlineReason: null, checkResult: 0x0f, tlv: Uint8Array.of(1, 2) });
    expect(decodeMarkingCheckTail(0x20, Uint8Array.of(3, 0x05))).toMatchObject({ onlineReason: 3, checkResult: 0x05 });
    expect(() => decodeMarkingCheckTail(0x20, new Uint8Array(0))).toThrow(CodecError);
  });
});

describe('VAT, TLV, errors, fault specs', () => {
  it('maps every contract VAT rate to a distinct Shtrih byte, 22 % differing on Nano', () => {
    for (const family of ['desktop', 'nano'] as const) {
      const bytes = VAT_RATES.map((r) => vatByte(r, family));
      expect(new Set(bytes).size).toBe(VAT_RATES.length);
      for (const r of VAT_RATES) expect(vatFromByte(vatByte(r, family), family)).toBe(r);
    }
    expect([vatByte('vat22'), vatByte('vat22', 'nano'), vatByte('vat22_122'), vatByte('vat22_122', 'nano')]).toEqual([0xcb, 0x90, 0xcc, 0xa0]);
  });

  it('encodes TLVs little-endian with CP866 strings and decodes them back', () => {
    expect([...tlvString(1021, 'Ая')]).toEqual([0xfd, 0x03, 0x02, 0x00, 0x80, 0xef]);
    expect([...tlvVln(1023, 0x1234)]).toEqual([0xff, 0x03, 0x02, 0x00, 0x34, 0x12]);
    fc.assert(fc.property(fc.array(fc.record({ tag: fc.integer({ min: 0, max: 0xffff }), value: fc.uint8Array({ maxLength: 40 }) })), (tlvs) => {
      const bytes = Uint8Array.from(tlvs.flatMap((t) => [...encodeTlv(t.tag, t.value)]));
      expect(decodeTlvs(bytes)).toEqual(tlvs);
    }));
  });

  it('has Russian and English words for every error and classifies the ones the driver acts on', () => {
    for (const [, entry] of SHTRIH_ERRORS) { expect(entry.ru.length).toBeGreaterThan(3); expect(entry.en.length).toBeGreaterThan(3); }
    expect(SHTRIH_ERRORS.get(0x50)?.category).toBe('busy');
    expect(SHTRIH_ERRORS.get(0x58)?.category).toBe('continue-print');
    expect(SHTRIH_ERRORS.get(0x6b)?.category).toBe('paper');
    expect(shtrihDeviceError(0xee, 'x')).toMatchObject({ kind: 'device', code: 'SHTRIH_0xEE' });
  });

  it('parses the fault spec and rejects nonsense', () => {
    const f = parseFaultSpec('drop-ack:0.1,bad-lrc:0.05,late:0.1@1500,power-cut-after:close-receipt,paper-out-after:close-receipt~0.5');
    expect(f).toMatchObject({ dropAck: 0.1, badLrc: 0.05, late: 0.1, lateMs: 1500,
      powerCutAfter: { codes: [0xff45, 0x85], probability: null }, paperOutAfter: { probability: 0.5 } });
    for (const bad of ['drop-ack:2', 'nonsense:1', 'late', 'power-cut-after:everything']) expect(() => parseFaultSpec(bad)).toThrow(FaultSpecError);
  });
});

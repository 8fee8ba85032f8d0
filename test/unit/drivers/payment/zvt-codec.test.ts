import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DLE, ETX, STX, SerialFrameReader, ZvtCodecError, apduSize, crc16Kermit, decodeApdu, decodeBcd, decodeSerialFrame, encodeApdu,
  encodeBcd, encodeSerialFrame, stuffDle, toHex,
} from '../../../../drivers/payment/zvt/codec';
import { BMP, bmp, decodeBmps, decodeMaskedBcd, decodeTlv, encodeBmps, encodeMaskedBcd, encodeTlv } from '../../../../drivers/payment/zvt/bmp';
import {
  abortFromPt, authorisation, printTextBlock, readAbortFromPt, readIntermediateStatus, readPasswordCommand, readPrintTextBlock,
  readRegistration, readStatusCompletion, registration, reversal, statusCompletion, intermediateStatus,
} from '../../../../drivers/payment/zvt/commands';
import { resultText } from '../../../../drivers/payment/zvt/result-codes';
import { intermediateStatusText } from '../../../../drivers/payment/zvt/intermediate-status';
import { FaultSpecError, parseZvtFaultSpec } from '../../../../drivers/payment/zvt/faults';

const bytes = (h: string) => Uint8Array.from(h.replace(/\s/g, '').match(/../g) ?? [], (x) => parseInt(x, 16));

describe('ZVT CRC and serial frames', () => {
  it('CRC-16/KERMIT of "123456789" is 0x2189', () => {
    expect(crc16Kermit(new TextEncoder().encode('123456789'))).toBe(0x2189);
  });

  it('frames an APDU as DLE STX apdu DLE ETX crc_lo crc_hi with the CRC over apdu + ETX', () => {
    const a = bytes('80 00 00');
    const frame = encodeSerialFrame(a);
    const crc = crc16Kermit(Uint8Array.of(0x80, 0x00, 0x00, ETX));
    expect(toHex(frame)).toBe(toHex(Uint8Array.of(DLE, STX, 0x80, 0x00, 0x00, DLE, ETX, crc & 0xff, crc >> 8)));
    expect(decodeSerialFrame(frame)).toEqual(a);
  });

  it('doubles DLE inside the APDU but computes the CRC over the unstuffed bytes', () => {
    const a = bytes('06 01 03 10 10 01');
    expect(toHex(stuffDle(a))).toBe('06 01 03 10 10 10 10 01');
    const frame = encodeSerialFrame(a);
    expect(decodeSerialFrame(frame)).toEqual(a);
  });

  it('reports a bad CRC, noise and a cut frame as codec errors', () => {
    const frame = encodeSerialFrame(bytes('06 0F 00'));
    const bad = frame.slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    expect(() => decodeSerialFrame(bad)).toThrow(expect.objectContaining({ code: 'bad-crc' }));
    expect(() => decodeSerialFrame(Uint8Array.of(0x41, ...frame))).toThrow(expect.objectContaining({ code: 'bad-frame' }));
    expect(() => decodeSerialFrame(frame.subarray(0, 5))).toThrow(expect.objectContaining({ code: 'short' }));
  });

  it('round-trips any APDU through a frame (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
      const a = encodeApdu({ cls: 0x06, instr: 0xd1, data });
      expect(decodeSerialFrame(encodeSerialFrame(a))).toEqual(a);
    }));
  });

  it('the incremental reader never throws on garbage and finds a frame after noise', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
      const r = new SerialFrameReader();
      for (const b of junk) r.push(b);
      r.reset();
      const frame = encodeSerialFrame(bytes('80 00 00'));
      const events = Array.from(frame, (b) => r.push(b)).filter(Boolean);
      expect(events.at(-1)).toEqual({ kind: 'frame', apdu: bytes('80 00 00') });
    }));
  });
});

describe('ZVT APDUs', () => {
  it('encodes the reference example: 12.50 EUR authorisation', () => {
    expect(toHex(encodeApdu(authorisation(1250, 978)))).toBe('06 01 0A 04 00 00 00 00 12 50 49 09 78');
  });

  it('uses FF + u16 little-endian for data of 255 bytes and more', () => {
    const data = new Uint8Array(300).fill(0x20);
    const enc = encodeApdu({ cls: 0x06, instr: 0xd1, data });
    expect(toHex(enc.subarray(0, 5))).toBe('06 D1 FF 2C 01');
    expect(apduSize(enc)).toBe(305);
    expect(decodeApdu(enc).data).toEqual(data);
    expect(toHex(encodeApdu({ cls: 0x06, instr: 0xd1, data: new Uint8Array(254) }).subarray(0, 3))).toBe('06 D1 FE');
  });

  it('rejects short, trailing and garbage APDUs with codec errors, never anything else', () => {
    expect(() => decodeApdu(bytes('06'))).toThrow(ZvtCodecError);
    expect(() => decodeApdu(bytes('06 01 05 04'))).toThrow(expect.objectContaining({ code: 'short' }));
    expect(() => decodeApdu(bytes('80 00 00 00'))).toThrow(expect.objectContaining({ code: 'trailing' }));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (junk) => {
      try { decodeBmps(decodeApdu(junk).data); } catch (e) { expect(e).toBeInstanceOf(ZvtCodecError); }
    }));
  });

  it('round-trips registration with password, config byte and currency', () => {
    const a = registration({ password: '123456', configByte: 0x0e, currency: 643 });
    expect(toHex(encodeApdu(a))).toBe('06 00 06 12 34 56 0E 06 43');
    expect(readRegistration(decodeApdu(encodeApdu(a)))).toEqual({ password: '123456', configByte: 0x0e, currency: 643 });
  });

  it('round-trips a reversal with BMP 87', () => {
    const a = reversal('000000', '42');
    expect(toHex(encodeApdu(a))).toBe('06 30 06 00 00 00 87 00 42');
    const r = readPasswordCommand(a);
    expect(r.bmps.bcdNumber(BMP.receipt)).toBe(42);
  });

  it('reads intermediate status with and without the timeout byte, abort codes and status completions', () => {
    expect(readIntermediateStatus(intermediateStatus(0x0a))).toEqual({ code: 0x0a, timeoutSeconds: null });
    expect(readIntermediateStatus(intermediateStatus(0x01, 30))).toEqual({ code: 0x01, timeoutSeconds: 30 });
    expect(readAbortFromPt(abortFromPt(0x6c))).toBe(0x6c);
    expect(readStatusCompletion(statusCompletion('EMU 1', 0xdc))).toEqual({ softwareVersion: 'EMU 1', terminalStatus: 0xdc });
    expect(readStatusCompletion({ cls: 6, instr: 0x0f, data: new Uint8Array(0) })).toEqual({ softwareVersion: null, terminalStatus: null });
  });

  it('round-trips a text block through the TLV container', () => {
    const lines = ['LINE ONE', 'LINE TWO'].map((s) => new TextEncoder().encode(s));
    expect(readPrintTextBlock(printTextBlock(lines))).toEqual(lines);
  });
});

describe('ZVT BMPs and BCD', () => {
  it('packs BCD right-aligned and refuses what does not fit', () => {
    expect(toHex(encodeBcd(1250, 6))).toBe('00 00 00 00 12 50');
    expect(toHex(encodeBcd(643, 2))).toBe('06 43');
    expect(decodeBcd(bytes('00 12 34'))).toBe('001234');
    expect(() => encodeBcd(12345, 2)).toThrow(ZvtCodecError);
    expect(() => decodeBcd(bytes('1A'))).toThrow(expect.objectContaining({ code: 'bad-bcd' }));
  });

  it('round-trips every status-information field', () => {
    const fields = [
      bmp.resultCode(0), bmp.amount(123_456), bmp.currency(643), bmp.trace(17), bmp.time('235959'), bmp.date('1231'),
      bmp.terminalId('52001234'), bmp.vuNumber('VU1'), bmp.pan('220000******1234'), bmp.cardType(5), bmp.cardName('MIR'),
      bmp.receipt(42), bmp.turnover(9), bmp.aid('A000017'), bmp.additionalText('x'.repeat(120)),
      bmp.tlv([{ tag: 0x1f07, value: Uint8Array.of(1) }]),
    ];
    const list = decodeBmps(encodeBmps(fields));
    expect(list.byte(BMP.resultCode)).toBe(0);
    expect(list.bcdNumber(BMP.amount)).toBe(123_456);
    expect(list.bcdNumber(BMP.currency)).toBe(643);
    expect(list.bcd(BMP.terminalId)).toBe('52001234');
    expect(list.ascii(BMP.vuNumber)).toBe('VU1');
    expect(list.pan()).toBe('220000******1234');
    expect(list.ascii(BMP.cardName)).toBe('MIR');
    expect(list.bcd(BMP.receipt)).toBe('0042');
    expect(list.ascii(BMP.aid)).toBe('A000017');
    expect(list.ascii(BMP.additionalText)).toBe('x'.repeat(120));
    expect(list.tlv()[0]).toEqual({ tag: 0x1f07, value: Uint8Array.of(1) });
  });

  it('encodes LLVAR lengths as F<d>F<d> and masks PAN digits with E', () => {
    expect(toHex(encodeBmps([bmp.cardName('MIR')]))).toBe('8B F0 F3 4D 49 52');
    expect(toHex(encodeMaskedBcd('1234***'))).toBe('12 34 EE EF');
    expect(decodeMaskedBcd(bytes('12 34 EE EF'))).toBe('1234***');
  });

  it('refuses an unknown BMP and a length that runs past the end', () => {
    expect(() => decodeBmps(bytes('FF 01'))).toThrow(expect.objectContaining({ code: 'bad-field' }));
    expect(() => decodeBmps(bytes('04 00 00'))).toThrow(expect.objectContaining({ code: 'short' }));
    expect(() => decodeBmps(bytes('8B F0 F9 41'))).toThrow(expect.objectContaining({ code: 'short' }));
    expect(() => decodeBmps(bytes('8B 09 41'))).toThrow(expect.objectContaining({ code: 'bad-field' }));
  });

  it('round-trips nested TLV with long lengths', () => {
    const nodes = [{ tag: 0x25, value: new Uint8Array(0), children: [{ tag: 0x07, value: new Uint8Array(200).fill(0x41) }] }];
    const enc = encodeTlv(nodes);
    const dec = decodeTlv(enc);
    expect(dec[0]!.children![0]!.value.length).toBe(200);
  });
});

describe('ZVT messages and fault specs', () => {
  it('has words for common result and intermediate codes, and names unknown ones', () => {
    expect(resultText(0x6c).ru).toMatch(/отменена/);
    expect(resultText(0x05).en).toMatch(/Declined/);
    expect(resultText(0x22).en).toMatch(/code 22/);
    expect(resultText(0xe9).ru).toMatch(/E9/);
    expect(intermediateStatusText(0x0a).ru).toMatch(/карту/);
    expect(intermediateStatusText(0x4a + 1).en).toMatch(/remove the card/);
  });

  it('parses the --faults spec and refuses nonsense', () => {
    expect(parseZvtFaultSpec('hang,decline:51,nak:0.5,bad-crc,seed:3')).toEqual({
      oneShots: [{ kind: 'hang' }, { kind: 'decline', code: 0x51 }, { kind: 'bad-crc' }], nakProbability: 0.5, badCrcProbability: 0, seed: 3,
    });
    expect(() => parseZvtFaultSpec('explode')).toThrow(FaultSpecError);
    expect(() => parseZvtFaultSpec('nak:2')).toThrow(FaultSpecError);
    expect(() => parseZvtFaultSpec('decline:00')).toThrow(FaultSpecError);
  });
});

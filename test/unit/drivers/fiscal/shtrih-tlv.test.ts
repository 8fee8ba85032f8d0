import { describe, expect, it } from 'vitest';
import {
  decodeDocumentTlv, encodeTlv, tlvByte, tlvFvlnMilli, tlvProductCodeEan13, tlvString, tlvStruct, tlvU32, tlvUnixTime, tlvVln,
} from '../../../../drivers/fiscal/shtrih/tlv';
import { CodecError } from '../../../../drivers/fiscal/shtrih/codec';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('FFD TLV values', () => {
  it('writes a weighed quantity as FVLN with the point position first and trailing zeros dropped', () => {
    expect(hex(tlvFvlnMilli(1023, 1234))).toBe('ff03' + '0300' + '03' + 'd204');
    expect(hex(tlvFvlnMilli(1023, 1500))).toBe('ff03' + '0200' + '01' + '0f');
    expect(hex(tlvFvlnMilli(1023, 2000))).toBe('ff03' + '0200' + '00' + '02');
  });

  it('nests the EAN-13 (1302) inside the product code STLV 1163 and refuses anything but 13 digits', () => {
    const b = tlvProductCodeEan13('4600000000015');
    expect(hex(b.subarray(0, 4))).toBe('8b04' + '1100');
    expect(decodeDocumentTlv(b)).toEqual({ 1163: { 1302: '4600000000015' } });
    expect(() => tlvProductCodeEan13('460000000001')).toThrow(CodecError);
  });

  it('decodes a document into tag → value JSON: CP866 strings, numbers, dates, nested items as an array', () => {
    const fp = new Uint8Array(6);
    new DataView(fp.buffer).setUint32(2, 3_141_592_653, false);
    const doc = new Uint8Array([
      ...tlvUnixTime(1012, '2026-11-23T15:04'), ...tlvU32(1040, 7), ...encodeTlv(1077, fp), ...tlvByte(1054, 1), ...tlvString(1021, 'Иванова А.А.'),
      ...tlvStruct(1059, [tlvString(1030, 'Яблоки'), tlvFvlnMilli(1023, 1234), tlvByte(2108, 11)]),
      ...tlvStruct(1059, [tlvString(1030, 'Хлеб'), tlvFvlnMilli(1023, 1000), tlvProductCodeEan13('4600000000015')]),
      ...tlvVln(1020, 123_456), ...encodeTlv(9999, Uint8Array.of(0xab, 0xcd)),
    ]);
    expect(decodeDocumentTlv(doc)).toEqual({
      1012: '2026-11-23T15:04', 1040: 7, 1077: 3_141_592_653, 1054: 1, 1021: 'Иванова А.А.',
      1059: [{ 1030: 'Яблоки', 1023: 1.234, 2108: 11 }, { 1030: 'Хлеб', 1023: 1, 1163: { 1302: '4600000000015' } }],
      1020: 123_456, 9999: 'abcd',
    });
  });

  it('refuses a cut-short document with a typed error', () => {
    const b = tlvStruct(1059, [tlvString(1030, 'Хлеб')]);
    expect(() => decodeDocumentTlv(b.subarray(0, b.length - 1))).toThrow(CodecError);
  });
});

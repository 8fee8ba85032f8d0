import { describe, expect, it } from 'vitest';
import { decodeTlvs } from '../../../drivers/fiscal/shtrih/tlv';
import type { CheckAnswer } from '../../../src-main/marking/check-answer';
import { crc32 } from '../../../src-main/marking/crc32';
import { encodeIndustryRequisite1260, industryRequisite1260, productCode1163, tag1162, tag2000, tag2115 } from '../../../src-main/marking/fiscal-tags';
import { parseMarkingCode, type ParsedCode } from '../../../src-main/marking/parse-code';
import { STAND } from './codes';

const ascii = (s: string) => new TextEncoder().encode(s);
function parsed(code: string): ParsedCode {
  const r = parseMarkingCode(code);
  if (!r.valid) throw new Error(r.error.code);
  return r;
}

const answer = (over: Partial<CheckAnswer> = {}): CheckAnswer => ({
  channel: 'online', reqId: '3f2a6c1e-9b7d-4e21-8a55-0c1d2e3f4a5b', reqTimestamp: 1_733_145_600_123,
  inst: null, version: null, checkedOffline: false, codes: [], ...over,
});

describe('CRC-32/IEEE', () => {
  it('matches the standard check values', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(ascii('a'))).toBe(0xe8b7be43);
  });
});

describe('tags 2000 and 2115', () => {
  it('2000 is the full code with its GS', () => {
    expect(tag2000(parsed(STAND.blockUpTo100))).toBe(STAND.blockUpTo100);
  });

  it('2115 is the last four decimal digits of the CRC-32 of the 2000 bytes, zero-padded', () => {
    expect(tag2115('123456789')).toBe('0262'); // 0xCBF43926 = 3421780262
    const crc = crc32(ascii(STAND.milkNotApplied));
    expect(tag2115(STAND.milkNotApplied)).toBe(String(crc % 10_000).padStart(4, '0'));
    expect(tag2115(STAND.milkNotApplied)).toMatch(/^\d{4}$/);
  });
});

describe('product code tags', () => {
  it('1162: 0x444D, GTIN as 6 bytes big-endian, serial ASCII (+ MRP for a block)', () => {
    const bytes = tag1162(parsed(STAND.blockUpTo100));
    expect([...bytes.slice(0, 2)]).toEqual([0x44, 0x4d]);
    const gtin = bytes.slice(2, 8).reduce((n, b) => n * 256 + b, 0);
    expect(gtin).toBe(4_629_308_877_044);
    expect(new TextDecoder().decode(bytes.slice(8))).toBe('DzkcYt2090000');
    expect(new TextDecoder().decode(tag1162(parsed(STAND.milkNotApplied)).slice(8))).toBe("5'W9Um");
  });

  it('1163: GS1 codes as 1305 with the КИ, tobacco packs as 1306 (UNCONFIRMED numbering)', () => {
    expect(productCode1163(parsed(STAND.milkNotApplied))).toEqual({ tag: 1305, value: "0104670540176099215'W9Um" });
    expect(productCode1163(parsed(STAND.packUpTo100))).toEqual({ tag: 1306, value: '04601653035829H;dV)bF' });
  });
});

describe('tag 1260 (industry requisite)', () => {
  it('an online answer: 030, 21.11.2023, 1944, UUID and Time', () => {
    expect(industryRequisite1260(answer())).toEqual({
      1262: '030', 1263: '21.11.2023', 1264: '1944', 1265: 'UUID=3f2a6c1e-9b7d-4e21-8a55-0c1d2e3f4a5b&Time=1733145600123',
    });
  });

  it('a local-module answer adds Inst and Ver', () => {
    expect(industryRequisite1260(answer({ channel: 'offline', inst: 'lm-01', version: '2.6.1' }))[1265])
      .toBe('UUID=3f2a6c1e-9b7d-4e21-8a55-0c1d2e3f4a5b&Time=1733145600123&Inst=lm-01&Ver=2.6.1');
  });

  it('a ТС ПИоТ answer from its offline base adds them too; an online one does not', () => {
    expect(industryRequisite1260(answer({ channel: 'tspiot', checkedOffline: true, inst: 'p1', version: '3' }))[1265]).toMatch(/&Inst=p1&Ver=3$/);
    expect(industryRequisite1260(answer({ channel: 'tspiot', inst: 'p1', version: '3' }))[1265]).not.toContain('Inst');
  });

  it('encodes as an STLV 1260 of four string TLVs', () => {
    const bytes = encodeIndustryRequisite1260(industryRequisite1260(answer()));
    expect([...bytes.slice(0, 2)]).toEqual([1260 & 0xff, 1260 >> 8]);
    const [outer] = decodeTlvs(bytes);
    expect(outer?.tag).toBe(1260);
    const inner = decodeTlvs(outer!.value).map((t) => [t.tag, new TextDecoder().decode(t.value)]);
    expect(inner).toEqual([[1262, '030'], [1263, '21.11.2023'], [1264, '1944'], [1265, 'UUID=3f2a6c1e-9b7d-4e21-8a55-0c1d2e3f4a5b&Time=1733145600123']]);
  });
});

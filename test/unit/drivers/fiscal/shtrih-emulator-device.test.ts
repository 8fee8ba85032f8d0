import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShtrihDevice } from '../../../../drivers/fiscal/shtrih/emulator-device';
import { freshState, loadState } from '../../../../drivers/fiscal/shtrih/emulator-state';
import { CMD, decodeAnswer, encodeRequest } from '../../../../drivers/fiscal/shtrih/commands';
import { decodeDocumentTlv, tlvByte, tlvProductCodeEan13, tlvString } from '../../../../drivers/fiscal/shtrih/tlv';

function device(now = { t: Date.parse('2026-03-01T06:00:00Z') }, file: string | null = null) {
  const d = new ShtrihDevice(freshState(), { stateFile: file, now: () => now.t });
  const run = (code: number, values: Record<string, unknown> = {}) =>
    decodeAnswer(d.execute(encodeRequest(code, { password: 30, ...values } as never)).answer);
  return { d, run, now };
}

const sale = { operationType: 1, quantity: 1000, price: 10_000, amount: null, taxAmount: null, taxRate: 2, department: 1, paymentMethod: 4, itemType: 1, name: 'Хлеб' };
const sums = (cash: number) => ({ ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`sum${i + 1}`, i === 0 ? cash : 0])),
  rounding: 0, ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`tax${i + 1}`, 0])), taxSystem: 1, text: '' });

describe('the emulated Shtrih register', () => {
  it('goes mode 4 → 2 → 8 → 2 → 3 after 24 hours, refusing sales with 4Eh then', () => {
    const { run, now } = device();
    expect(run(CMD.shortStatus).values.mode).toBe(4);
    run(CMD.openShift);
    expect(run(CMD.shortStatus).values.mode).toBe(2);
    run(CMD.operationV2, sale);
    expect(run(CMD.shortStatus).values.mode).toBe(8);
    expect(run(CMD.fnStatus).values.currentDocument).toBe(4);
    expect(run(CMD.closeReceiptV2, sums(5_000)).error).toBe(0x45);
    expect(run(CMD.closeReceiptV2, sums(20_000)).values.change).toBe(10_000);
    now.t += 24 * 3_600_000;
    expect(run(CMD.shortStatus).values.mode).toBe(3);
    expect(run(CMD.operationV2, sale).error).toBe(0x4e);
    expect(run(CMD.zReport).error).toBe(0);
    expect(run(CMD.shortStatus).values.mode).toBe(4);
  });

  it('accepts the legacy 80h sale and 85h close and stores the receipt for FF0A', () => {
    const { run } = device();
    run(CMD.openShift);
    expect(run(CMD.legacySale, { quantity: 2000, price: 1_500, department: 1, tax1: 1, tax2: 0, tax3: 0, tax4: 0, text: 'Булка' }).error).toBe(0);
    expect(run(CMD.legacyClose, { cash: 5_000, sum2: 0, sum3: 0, sum4: 0, discount: 0, tax1: 0, tax2: 0, tax3: 0, tax4: 0, text: '' }).values.change).toBe(2_000);
    const fd = run(CMD.fnStatus).values.lastFd as number;
    expect(run(CMD.findDocument, { fdNumber: fd }).values.documentType).toBe(3);
    expect(run(CMD.findDocument, { fdNumber: 999 }).error).toBe(0x08);
  });

  it('refuses FN commands without the system administrator password and a wrong password anywhere', () => {
    const { d } = device();
    expect(decodeAnswer(d.execute(encodeRequest(CMD.fnStatus, { password: 1 })).answer).error).toBe(0x4f);
    expect(decodeAnswer(d.execute(encodeRequest(CMD.shortStatus, { password: 99 })).answer).error).toBe(0x4f);
    expect(decodeAnswer(d.execute(Uint8Array.of(0x99, 1, 2)).answer).error).toBe(0x37);
  });

  it('keeps its FN in the state file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shtrih-')), 'state.json');
    const { run } = device(undefined, file);
    run(CMD.openShift);
    expect(loadState(file)).toMatchObject({ shiftOpen: true, lastFd: 2 });
  });

  it('runs the marking check order FF61 → FF69 and refuses FF69 without FF61', () => {
    const { run } = device();
    run(CMD.openShift);
    expect(run(CMD.markingAccept, { accept: 1 }).error).toBe(0xa1);
    const code = new TextEncoder().encode('0104600000000001215abcdefghijkl\u001d91EE10\u001d92abc');
    const tlv = Uint8Array.of(0xbc, 0x08, 0x01, 0x00, 0x00);
    const check = run(CMD.markingCheck, { plannedStatus: 1, mode: 0, codeLength: code.length, tlvLength: tlv.length, payload: Uint8Array.from([...code, ...tlv]) });
    expect(check.values.localResult).toBe(3);
    expect(run(CMD.markingAccept, { accept: 1 }).values.checkResult).toBe(0x0f);
  });

  it('keeps the tags bound to each operation (FF4D) with the document and hands the document out as TLV (FF3A, FF3B)', () => {
    const { d, run } = device();
    run(CMD.openShift);
    run(CMD.operationV2, { ...sale, name: 'Яблоки', quantity: 1234, price: 15_900 });
    run(CMD.tlvOperation, { tlv: tlvByte(2108, 11) });
    run(CMD.operationV2, sale);
    run(CMD.tlvOperation, { tlv: tlvByte(2108, 0) });
    run(CMD.tlvOperation, { tlv: tlvProductCodeEan13('4600000000015') });
    run(CMD.tlv, { tlv: tlvString(1021, 'Иванова А.А.') });
    expect(d.state.receipt!.items[0]!.tlvs).toEqual(['3c080100' + '0b']);
    expect(d.state.receipt!.items[1]!.tlvs).toHaveLength(2);
    const close = run(CMD.closeReceiptV2, sums(50_000));
    const fd = close.values.fdNumber as number;

    const head = run(CMD.requestDocumentTlv, { fdNumber: fd });
    expect(head.values.documentType).toBe(3);
    const chunks: number[] = [];
    for (;;) {
      const block = run(CMD.readDocumentTlvBlock);
      if (block.error !== 0) { expect(block.error).toBe(0x08); break; }
      chunks.push(...(block.values.block as Uint8Array));
    }
    expect(chunks).toHaveLength(head.values.documentLength as number);
    const fields = decodeDocumentTlv(Uint8Array.from(chunks));
    const amount = Math.round(1234 * 15_900 / 1000);
    expect(fields).toMatchObject({ 1040: fd, 1077: close.values.fiscalSign, 1054: 1, 1055: 1, 1021: 'Иванова А.А.', 1020: amount + 10_000, 1031: amount + 10_000 });
    expect(fields['1059']).toEqual([
      { 1030: 'Яблоки', 1079: 15_900, 1023: 1.234, 1043: amount, 1199: 2, 1212: 1, 1214: 4, 2108: 11 },
      { 1030: 'Хлеб', 1079: 10_000, 1023: 1, 1043: 10_000, 1199: 2, 1212: 1, 1214: 4, 2108: 0, 1163: { 1302: '4600000000015' } },
    ]);
    expect(run(CMD.requestDocumentTlv, { fdNumber: 999 }).error).toBe(0x08);
  });

  it('makes a correction receipt (FF4A) as a document of its own, refusing it while a receipt is open or when the sums differ', () => {
    const { run } = device();
    run(CMD.openShift);
    const correction = { correctionType: 0, calculationSign: 1, total: 30_000, cash: 10_000, electronic: 20_000, prepayment: 0, postpayment: 0,
      counterProvision: 0, ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`tax${i + 1}`, 0])), taxSystem: 1 };
    run(CMD.operationV2, sale);
    expect(run(CMD.correctionReceiptV2, correction).error).toBe(0x4a);
    run(CMD.cancelReceipt);
    expect(run(CMD.correctionReceiptV2, { ...correction, cash: 1 }).error).toBe(0x45);
    const done = run(CMD.correctionReceiptV2, correction);
    expect(done.error).toBe(0);
    const fd = done.values.fdNumber as number;
    expect(run(CMD.fnStatus).values.lastFd).toBe(fd);
    expect(run(CMD.findDocument, { fdNumber: fd }).values.documentType).toBe(31);
    const head = run(CMD.requestDocumentTlv, { fdNumber: fd });
    expect(head.values.documentType).toBe(31);
    const block = run(CMD.readDocumentTlvBlock).values.block as Uint8Array;
    expect(decodeDocumentTlv(block)).toMatchObject({ 1040: fd, 1173: 0, 1054: 1, 1020: 30_000, 1031: 10_000, 1081: 20_000 });
  });
});

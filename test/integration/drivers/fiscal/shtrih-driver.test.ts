// The Shtrih driver against the emulator over a real pty (socat) and over TCP on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { startShtrihRig, type LinkKind, type ShtrihRig } from '../../../helpers/pty';
import type { ReceiptRequest } from '../../../../drivers/fiscal/fiscal-register';
import { FiscalError } from '../../../../drivers/fiscal/fiscal-error';

const receipt: ReceiptRequest = {
  sign: 'sale',
  taxSystem: 'osn',
  items: [
    { name: 'Молоко 3,2% 1 л', quantityMilli: 2000, priceKopecks: 8990, vat: 'vat10' },
    { name: 'Яблоки Гала', quantityMilli: 1234, priceKopecks: 15900, vat: 'vat22', unit: 'kg' },
  ],
  payments: { cashKopecks: 50000, electronicKopecks: 0 },
  cashier: { name: 'Иванова А.А.' },
  buyerContact: 'buyer@example.ru',
};
const total = Math.round(2000 * 8990 / 1000) + Math.round(1234 * 15900 / 1000);

let rig: ShtrihRig | null = null;
afterEach(async () => { await rig?.close(); rig = null; });

describe.each<LinkKind>(['pty', 'tcp'])('Shtrih driver over %s', (kind) => {
  it('reads status, opens a shift and fiscalises a receipt that FF0A finds with the same fiscal sign', async () => {
    rig = await startShtrihRig(kind);
    const r = rig.register;
    expect((await r.deviceType()).name).toContain('ШТРИХ');
    expect((await r.status()).shiftState).toBe('closed');
    const fnBefore = await r.fnStatus();
    expect(fnBefore.fnSerial).toHaveLength(16);

    await r.openShift();
    expect((await r.status()).mode).toBe(2);
    const result = await r.fiscaliseReceipt(receipt);
    expect(result.fdNumber).toBe(fnBefore.lastFdNumber + 2);
    expect(result.changeKopecks).toBe(50000 - total);

    const doc = await r.findDocument(result.fdNumber);
    expect(doc).toMatchObject({ kind: 'receipt', fdNumber: result.fdNumber, fiscalSign: result.fiscalSign, totalKopecks: total, sign: 'sale' });
    const fn = await r.fnStatus();
    expect(fn).toMatchObject({ lastFdNumber: result.fdNumber, currentDocument: 0, shiftOpen: true });
    expect((await r.ofdStatus()).unsentCount).toBeGreaterThanOrEqual(2);
  });

  it('sends the product code and the kilogram measure bound to their lines and reads the whole document back from the FN', async () => {
    rig = await startShtrihRig(kind);
    const r = rig.register;
    await r.openShift();
    const request: ReceiptRequest = { ...receipt, items: [{ ...receipt.items[0]!, productCode: { gtin: '4600000000015' } }, receipt.items[1]!] };
    const result = await r.fiscaliseReceipt(request);
    const doc = await r.readDocumentTlv(result.fdNumber);
    expect(doc).toMatchObject({ fdNumber: result.fdNumber, documentType: 3 });
    expect(doc.fields).toMatchObject({ 1040: result.fdNumber, 1077: result.fiscalSign, 1054: 1, 1055: 1, 1020: total,
      1021: 'Иванова А.А.', 1008: 'buyer@example.ru', 1031: total });
    expect(doc.fields['1059']).toEqual([
      expect.objectContaining({ 1030: 'Молоко 3,2% 1 л', 1023: 2, 2108: 0, 1163: { 1302: '4600000000015' } }),
      expect.objectContaining({ 1030: 'Яблоки Гала', 1023: 1.234, 2108: 11, 1199: 11, 1043: Math.round(1234 * 15900 / 1000) }),
    ]);
    expect(doc.fields['1059']).not.toContainEqual(expect.objectContaining({ 1030: 'Яблоки Гала', 1163: expect.anything() as unknown }));
  });

  it('makes a correction receipt with its basis and reads it back as a document of its own', async () => {
    rig = await startShtrihRig(kind);
    const r = rig.register;
    await r.openShift();
    const result = await r.fiscaliseCorrection({ sign: 'sale', correctionType: 'ordered', taxSystem: 'usnIncome',
      basis: { date: '2026-11-20', orderNumber: '12-34/5' }, totalKopecks: 1500_00,
      payments: { cashKopecks: 1000_00, electronicKopecks: 500_00 }, vatKopecks: { none: 1500_00 } });
    expect((await r.fnStatus()).lastFdNumber).toBe(result.fdNumber);
    expect(await r.findDocument(result.fdNumber)).toMatchObject({ kind: 'correction', fdNumber: result.fdNumber, sign: 'sale', totalKopecks: 1500_00 });
    const doc = await r.readDocumentTlv(result.fdNumber);
    expect(doc).toMatchObject({ documentType: 31, fields: { 1040: result.fdNumber, 1077: result.fiscalSign, 1173: 1, 1054: 1, 1055: 2,
      1174: { 1178: '2026-11-20T00:00', 1179: '12-34/5' }, 1020: 1500_00, 1031: 1000_00, 1081: 500_00 } });
    await expect(r.fiscaliseCorrection({ sign: 'sale', correctionType: 'self', taxSystem: 'osn', basis: { date: '2026-11-20' },
      totalKopecks: 100, payments: { cashKopecks: 1, electronicKopecks: 0 } })).rejects.toBeInstanceOf(FiscalError);
  });

  it('prints X and Z reports and moves cash in and out', async () => {
    rig = await startShtrihRig(kind);
    const r = rig.register;
    await r.openShift();
    await r.cashIn(100_00);
    await r.cashOut(40_00);
    await expect(r.cashOut(1_000_00)).rejects.toMatchObject({ kind: 'device', code: 'SHTRIH_0x46' });
    await r.xReport();
    await r.closeShift();
    const fn = await r.fnStatus();
    expect(fn.shiftOpen).toBe(false);
    expect(await r.findDocument(fn.lastFdNumber)).toMatchObject({ kind: 'shiftClose', shiftNumber: 1 });
  });
});

describe('Shtrih driver fault handling (pty)', () => {
  it('recovers the answer with ENQ when the register ACK is dropped, without resending', async () => {
    rig = await startShtrihRig('pty');
    const r = rig.register;
    await r.openShift();
    const before = await r.fnStatus();
    rig.emulator.arm('drop-ack');
    const result = await r.fiscaliseReceipt({ ...receipt, items: [receipt.items[0]!] });
    expect(result.fdNumber).toBe(before.lastFdNumber + 1);
    expect((await r.fnStatus()).lastFdNumber).toBe(before.lastFdNumber + 1);
  });

  it('resends a lost read-only frame but reports outcome-unknown for a lost fiscal frame', async () => {
    rig = await startShtrihRig('pty');
    const r = rig.register;
    rig.emulator.arm('drop-frame');
    expect((await r.status()).mode).toBe(4);
    expect(r.link.stats.frameResends).toBeGreaterThan(0);

    rig.emulator.arm('drop-frame');
    const error = await r.openShift().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FiscalError);
    expect((error as FiscalError).kind).toBe('outcome-unknown');
    // Reconciliation shows the shift was not opened (the frame never arrived).
    expect((await r.fnStatus()).shiftOpen).toBe(false);
  });

  it('NAKs a corrupted answer and reads it again after ENQ', async () => {
    rig = await startShtrihRig('pty');
    const r = rig.register;
    await r.openShift();
    rig.emulator.arm('bad-lrc');
    const result = await r.fiscaliseReceipt({ ...receipt, items: [receipt.items[0]!] });
    expect(r.link.stats.nakSent).toBeGreaterThan(0);
    expect((await r.findDocument(result.fdNumber)).kind).toBe('receipt');
  });

  it('after a late answer times out, ENQ recovers the pending answer', async () => {
    rig = await startShtrihRig('pty');
    const r = rig.register;
    await r.openShift();
    rig.emulator.arm('late', 1_500);
    const before = r.link.stats.recoveries;
    const result = await r.fiscaliseReceipt({ ...receipt, items: [receipt.items[0]!] });
    expect(r.link.stats.recoveries).toBeGreaterThan(before);
    expect((await r.fnStatus()).lastFdNumber).toBe(result.fdNumber);
  });

  it('paper out after close: the document exists and continue-print completes it', async () => {
    rig = await startShtrihRig('pty');
    const r = rig.register;
    await r.openShift();
    const before = await r.fnStatus();
    rig.emulator.arm('paper-out');
    const error = await r.fiscaliseReceipt({ ...receipt, items: [receipt.items[0]!] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'outcome-unknown', code: 'SHTRIH_0x6B', details: { documentMayExist: true } });
    const fn = await r.fnStatus();
    expect(fn.lastFdNumber).toBe(before.lastFdNumber + 1);
    expect((await r.findDocument(fn.lastFdNumber)).kind).toBe('receipt');
    expect((await r.status()).paperOut).toBe(true);
    await expect(r.continuePrint()).rejects.toMatchObject({ code: 'SHTRIH_0x6B' });
    rig.emulator.loadPaper();
    expect((await r.status()).awaitingContinuePrint).toBe(true);
    await r.continuePrint();
    expect((await r.status()).submode).toBe(0);
  });
});

describe('Shtrih driver and a power cut (tcp)', () => {
  it('reports outcome-unknown; after restart from the state file FN status and FF0A show the document', async () => {
    rig = await startShtrihRig('tcp');
    const r = rig.register;
    await r.openShift();
    const before = await r.fnStatus();
    rig.emulator.arm('power-cut');
    const error = await r.fiscaliseReceipt({ ...receipt, items: [receipt.items[0]!] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'outcome-unknown' });
    rig.emulator.restart();
    const fn = await r.fnStatus();
    expect(fn.lastFdNumber).toBe(before.lastFdNumber + 1);
    expect(fn.currentDocument).toBe(0);
    const doc = await r.findDocument(fn.lastFdNumber);
    expect(doc).toMatchObject({ kind: 'receipt', totalKopecks: Math.round(2000 * 8990 / 1000) });
  });
});

// Correction receipts (FFD "чек коррекции", FF4A, document type 31) through the fiscal service: the
// journal row before the first byte, the document read back from the FN, and reconciliation after a
// power cut by the FD counter and the document type.
import { describe, expect, it } from 'vitest';
import type { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { FD_TYPE } from '../../../drivers/fiscal/shtrih/commands';
import { FiscalCorrectionRequest } from '../../../src-main/contract/fiscal-correction';
import { correctionFromContract } from '../../../src-main/services/fiscal/correction-request';
import { FiscalJobInvalid } from '../../../src-main/services/fiscal/fiscal-service-errors';
import { cashier, docTypes, fiscalRigs, startService } from './helpers';

const { rig, service } = fiscalRigs('prilavok-fiscal-correction-');

/** What the supervisor's dialog sends (contract), as the handler turns it into the register's request (УСН доход). */
const ordered = correctionFromContract(FiscalCorrectionRequest.parse({
  sign: 'sale', correctionType: 'ordered', basisDate: '2026-11-20', orderNumber: '12-34/5', totalKopecks: 1500_00,
  payments: { cashKopecks: 1000_00, electronicKopecks: 500_00 }, vat: { none: 0, vat22: 100_00 },
}), 2);

const corrections = (emulator: ShtrihEmulator) => emulator.device.state.documents.filter((d) => d.type === FD_TYPE.correction);

describe('correction receipts', () => {
  it('a correction job makes one type 31 document with 1173, 1174 and 1054, read back from the FN', async () => {
    const { lane, emulator } = await rig();
    const s = service(lane, emulator);
    const id = s.service.requestCorrection(ordered);
    await s.service.whenIdle();
    const job = s.journal.job(id)!;
    expect(job).toMatchObject({ kind: 'correction', state: 'done', saleId: null, fnSerial: emulator.device.state.fnSerial, fdBefore: 1, fdNumber: 3 });
    expect(docTypes(emulator)).toEqual([1, FD_TYPE.shiftOpen, FD_TYPE.correction]);
    expect(job.fiscalSign).toBe(String(corrections(emulator)[0]!.fiscalSign));
    expect(job.document).toMatchObject({ source: 'fn-tlv', kind: 'correction', fdNumber: 3, documentType: 31,
      fields: { 1040: 3, 1173: 1, 1054: 1, 1055: 2, 1174: { 1178: '2026-11-20T00:00', 1179: '12-34/5' }, 1020: 1500_00, 1031: 1000_00, 1081: 500_00 } });
    expect(s.journal.steps(id).map((st) => [st.action, st.state])).toEqual([['closeShift', 'skipped'], ['openShift', 'done'], ['correction', 'done']]);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'fiscal.jobDone', jobId: id, kind: 'correction', fdNumber: 3 }));
    expect(emulator.device.state.cashKopecks).toBe(1000_00);
  });

  it('runs in queue order between sales; a purchase correction on own initiative needs no order number', async () => {
    const { lane, emulator } = await rig();
    const s = service(lane, emulator);
    const till = cashier(lane.app);
    const a = till.sell();
    const id = s.service.requestCorrection(correctionFromContract(FiscalCorrectionRequest.parse({
      sign: 'purchase', correctionType: 'self', basisDate: '2026-11-01', totalKopecks: 99, payments: { cashKopecks: 99 } }), 1));
    const b = till.sell();
    s.service.kick();
    await s.service.whenIdle();
    expect(docTypes(emulator)).toEqual([1, 2, 3, 31, 3]);
    expect(s.journal.job(id)!.document).toMatchObject({ fields: { 1173: 0, 1054: 3, 1020: 99, 1174: { 1178: '2026-11-01T00:00' } } });
    for (const sale of [a, b]) expect(lane.app.sales.sales.byId(sale.id)!.fiscalState).toBe('done');
  });

  it('a power cut right after FF4A: reconciliation finds the document (FD counter, type 31), nothing is made twice', async () => {
    const power: { restart?: () => void } = {};
    const { lane, emulator } = await rig({ onPowerCut: () => setTimeout(() => power.restart?.(), 300) });
    power.restart = () => emulator.restart();
    const s = service(lane, emulator);
    s.service.request('open_shift');
    await s.service.whenIdle();
    emulator.arm('power-cut');
    const id = s.service.requestCorrection(ordered);
    await s.service.whenIdle();
    expect(corrections(emulator)).toHaveLength(1);
    const job = s.journal.job(id)!;
    expect(job).toMatchObject({ state: 'done', fdNumber: corrections(emulator)[0]!.fd, fiscalSign: String(corrections(emulator)[0]!.fiscalSign) });
    expect(job.attempts).toBeGreaterThan(0);
    expect(s.journal.steps(id).at(-1)!.error).toMatchObject({ code: 'FISCAL_OUTCOME_UNKNOWN' });
    expect(job.document).toMatchObject({ documentType: 31, fields: { 1173: 1 } });
  });

  it('a power cut and a lane restart: the new service reconciles the correction left in flight', async () => {
    const { lane, emulator } = await rig();
    const s1 = startService(lane.dir, emulator);
    s1.service.request('open_shift');
    await s1.service.whenIdle();
    emulator.arm('power-cut');
    const id = s1.service.requestCorrection(ordered);
    for (let i = 0; i < 100 && s1.journal.job(id)!.state !== 'reconciling'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s1.journal.job(id)!.state).toBe('reconciling');
    await s1.close();
    emulator.restart();
    const s2 = service(lane, emulator);
    await s2.service.whenIdle();
    expect(corrections(emulator)).toHaveLength(1);
    expect(s2.journal.job(id)).toMatchObject({ state: 'done', fdNumber: corrections(emulator)[0]!.fd });
  });

  it('with frames lost on the link while the correction runs there is still exactly one document', async () => {
    const { lane, emulator } = await rig();
    const s = service(lane, emulator);
    s.service.request('open_shift');
    await s.service.whenIdle();
    // Lost frames (not executed) land on the status reads, the FF0C basis or FF4A itself.
    for (let k = 0; k < 6; k++) emulator.arm('drop-frame');
    const before = emulator.device.state.lastFd;
    const id = s.service.requestCorrection(ordered);
    await s.service.whenIdle();
    expect(corrections(emulator)).toHaveLength(1);
    expect(s.journal.job(id)).toMatchObject({ state: 'done', fdNumber: corrections(emulator)[0]!.fd, fdBefore: before });
  });

  it('refuses a correction that can never be made before it is journalled', async () => {
    const { lane, emulator } = await rig();
    const s = service(lane, emulator, { start: false });
    expect(() => s.service.requestCorrection({ ...ordered, payments: { cashKopecks: 1, electronicKopecks: 0 } })).toThrow(FiscalJobInvalid);
    try {
      s.service.requestCorrection({ ...ordered, basis: { date: '2026-11-20' } });
      expect.unreachable();
    } catch (error) {
      expect((error as FiscalJobInvalid).error.details).toMatchObject({ reason: expect.stringMatching(/order number/) as unknown });
    }
    expect(s.journal.counts()).toMatchObject({ queued: 0, manual: 0 });
    expect(FiscalCorrectionRequest.safeParse({ sign: 'saleReturn', correctionType: 'self', basisDate: '2026-11-20', totalKopecks: 1, payments: { cashKopecks: 1 } }).success).toBe(false);
    expect(FiscalCorrectionRequest.safeParse({ sign: 'sale', correctionType: 'self', basisDate: '2026-02-30', totalKopecks: 1, payments: { cashKopecks: 1 } }).success).toBe(false);
    expect(FiscalCorrectionRequest.safeParse({ sign: 'sale', correctionType: 'ordered', basisDate: '2026-02-03', totalKopecks: 1, payments: { cashKopecks: 1 } }).success).toBe(false);
  });
});

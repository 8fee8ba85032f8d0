import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShtrihDevice } from '../../../../drivers/fiscal/shtrih/emulator-device';
import { freshState, loadState } from '../../../../drivers/fiscal/shtrih/emulator-state';
import { CMD, decodeAnswer, encodeRequest } from '../../../../drivers/fiscal/shtrih/commands';

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
});

import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HONEYWELL_ENABLE_FEATURE, HidPosAssembler, WEB_HID, decodeReport } from '../../../../drivers/scanners/hidpos/codec';
import { HidPosScanner, loadNodeHid, type HidDevice } from '../../../../drivers/scanners/hidpos/driver';
import { reportsFor } from '../../../../drivers/scanners/hidpos/report-generator';
import type { ScannerEvent, ScannerFault } from '../../../../drivers/scanners/scanner';

const GS = '\u001d';
const MARK = `010460123456789021abcdefghijklm${GS}91EE07${GS}92${'Q'.repeat(88)}`;

class FakeHid extends EventEmitter implements HidDevice {
  features: number[][] = [];
  closed = false;
  sendFeatureReport(data: number[] | Uint8Array): number { this.features.push([...data]); return data.length; }
  close(): void { this.closed = true; }
  send(reports: Uint8Array[]): void { for (const r of reports) this.emit('data', Buffer.from(r)); }
}

describe('HID POS reports', () => {
  it('decode the layout: length, AIM, data, vendor symbology, continuation', () => {
    const [r] = reportsFor('4601234567893', { aim: ']E0', vendorSymbology: 'd' });
    expect(r!.length).toBe(64);
    expect(decodeReport(r!)).toEqual({ aim: ']E0', data: new TextEncoder().encode('4601234567893'), vendorSymbology: 0x64, continued: false });
  });

  it('read the same code under WebHID, which strips the report id', () => {
    const a = new HidPosAssembler(WEB_HID);
    const out = reportsFor(MARK, { aim: ']d2', layout: WEB_HID }).map((r) => a.push(r));
    expect(out.at(-1)).toEqual({ kind: 'scan', code: MARK, aim: ']d2', symbology: 'gs1-datamatrix' });
  });

  it('join a long code across reports with GS intact', () => {
    const reports = reportsFor(MARK, { aim: ']d2', chunkBytes: 20 });
    expect(reports.length).toBeGreaterThan(3);
    const a = new HidPosAssembler();
    const out = reports.map((r) => a.push(r));
    expect(out.slice(0, -1).every((o) => o === null)).toBe(true);
    expect(out.at(-1)).toMatchObject({ kind: 'scan', code: MARK });
  });

  it('fall back to the Honeywell code id without AIM', () => {
    const a = new HidPosAssembler();
    expect(a.push(reportsFor('ABC', { vendorSymbology: 'j' })[0]!)).toMatchObject({ aim: null, symbology: 'code-128' });
  });

  it('refuse a wrong report id, a length over 56, bad AIM bytes, and drop the rest of a spoiled code', () => {
    const r = reportsFor('X')[0]!;
    expect(() => decodeReport(Uint8Array.of(0x01, ...r.subarray(1)))).toThrow(/report id/);
    const long = r.slice(); long[1] = 57;
    expect(() => decodeReport(long)).toThrow(/length/);
    const aim = r.slice(); aim[2] = 0x41;
    expect(() => decodeReport(aim)).toThrow(/AIM/);
    const a = new HidPosAssembler();
    const parts = reportsFor('A'.repeat(120), { chunkBytes: 40 });
    parts[1]![1] = 99;
    expect(parts.map((p) => a.push(p))).toEqual([null, { kind: 'fault', fault: 'bad-report', reason: expect.any(String) }, null]);
    expect(a.push(reportsFor('NEXT')[0]!)).toMatchObject({ kind: 'scan', code: 'NEXT' });
  });

  it('never throws on arbitrary reports', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 8 }), (reports) => {
      const a = new HidPosAssembler();
      for (const r of reports) a.push(r);
      a.abandon();
    }), { numRuns: 300 });
  });
});

describe('the HID POS scanner driver', () => {
  it('sends Honeywell\'s enable feature report and turns reports into tagged scans', async () => {
    const dev = new FakeHid();
    const s = HidPosScanner.over(dev, { id: 'table', honeywell: true });
    const scans: ScannerEvent[] = [];
    s.onScan((e) => scans.push(e));
    dev.send(reportsFor(MARK, { aim: ']d2', chunkBytes: 30 }));
    expect(dev.features).toEqual([[...HONEYWELL_ENABLE_FEATURE]]);
    expect(scans).toEqual([{ code: MARK, aim: ']d2', symbology: 'gs1-datamatrix', source: 'table' }]);
    await s.close();
    expect(dev.closed).toBe(true);
  });

  it('reports a continued code that never ends', async () => {
    const dev = new FakeHid();
    const s = HidPosScanner.over(dev, { id: 'hand', idleMs: 20 });
    const faults: ScannerFault[] = [];
    s.onFault((f) => faults.push(f));
    dev.send(reportsFor(MARK, { chunkBytes: 30 }).slice(0, 2));
    await new Promise((r) => setTimeout(r, 60));
    expect(faults.map((f) => f.error.code)).toEqual(['SCANNER_BAD_REPORT']);
    await s.close();
  });

  it('says clearly when node-hid is not installed', async () => {
    await expect(loadNodeHid('node-hid-definitely-absent')).rejects.toMatchObject({ code: 'SCANNER_UNAVAILABLE', details: { reason: 'node-hid not installed' } });
  });
});

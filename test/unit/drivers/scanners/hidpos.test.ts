import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HONEYWELL_ENABLE_FEATURE, HidPosAssembler, WEB_HID, decodeReport } from '../../../../drivers/scanners/hidpos/codec';
import { HidPosScanner, type HidDevice } from '../../../../drivers/scanners/hidpos/driver';
import { loadNodeHid, type NodeHidModule } from '../../../../drivers/scanners/hidpos/node-hid';
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

  it('says clearly when node-hid itself does not load', async () => {
    await expect(loadNodeHid(() => Promise.reject(new Error("Cannot find package 'node-hid'"))))
      .rejects.toMatchObject({ code: 'SCANNER_UNAVAILABLE', details: { reason: 'node-hid did not load', cause: "Cannot find package 'node-hid'" } });
  });

  it('names libusb-1.0 when node-hid\'s native part cannot find it, after choosing hidraw first', async () => {
    const calls: string[] = [];
    const hid = fakeNodeHid([], calls);
    hid.getHidapiVersion = () => { calls.push('load'); throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory'); };
    const error = await loadNodeHid(async () => hid).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCANNER_UNAVAILABLE', details: { reason: expect.stringContaining('libusb-1.0'), fix: expect.stringContaining('libusb-1.0-0') } });
    expect(calls).toEqual(['driver hidraw', 'load']);
  });

  it('opens the usage page 0x8C interface of the chosen scanner, not its keyboard interface or another maker\'s', async () => {
    const hid = fakeNodeHid([
      { vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x01, path: '/dev/hidraw0' },
      { vendorId: 0x05e0, productId: 0x1200, usagePage: 0x8c, path: '/dev/hidraw1' },
      { vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, path: '/dev/hidraw2' },
    ]);
    const s = await HidPosScanner.open({ vendorId: 0x0c2e, productId: 0x0b61 }, { id: 'hand' }, hid);
    expect(FakeHidNode.opened.at(-1)).toBe('/dev/hidraw2');
    const scans: ScannerEvent[] = [];
    s.onScan((e) => scans.push(e));
    FakeHidNode.last!.send(reportsFor('4601234567893', { aim: ']E0' }));
    expect(scans).toEqual([{ code: '4601234567893', aim: ']E0', symbology: 'ean-13', source: 'hand' }]);
    await s.close();
    await expect(HidPosScanner.open({ path: '/dev/hidraw1' }, { id: 'table' }, hid)).resolves.toBeInstanceOf(HidPosScanner);
    expect(FakeHidNode.opened.at(-1)).toBe('/dev/hidraw1');
  });

  it('says no HID POS scanner was found when only keyboards match, and when listing fails', async () => {
    const keyboardOnly = fakeNodeHid([{ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x01, path: '/dev/hidraw0' }]);
    await expect(HidPosScanner.open({ vendorId: 0x0c2e }, { id: 'hand' }, keyboardOnly))
      .rejects.toMatchObject({ code: 'SCANNER_NO_LINK', details: { vendorId: 0x0c2e, reason: expect.stringContaining('no HID POS scanner') } });
    const broken = fakeNodeHid([]);
    broken.devicesAsync = () => Promise.reject(new Error('udev enumeration failed'));
    await expect(HidPosScanner.open({}, { id: 'hand' }, broken))
      .rejects.toMatchObject({ code: 'SCANNER_NO_LINK', details: { reason: expect.stringContaining('udev enumeration failed') } });
  });
});

/** A node-hid device node as the fake module opens it. */
class FakeHidNode extends FakeHid {
  static opened: string[] = [];
  static last: FakeHidNode | null = null;
  constructor(path: string) {
    super();
    FakeHidNode.opened.push(path);
    FakeHidNode.last = this;
  }
}

type Listed = { vendorId: number; productId: number; usagePage: number; path: string };

/** The part of node-hid the driver uses, over a fixed device list; `calls` records the order of setup calls. */
function fakeNodeHid(listed: Listed[], calls: string[] = []): NodeHidModule {
  return {
    HID: FakeHidNode as unknown as NodeHidModule['HID'],
    devicesAsync: (async () => listed.map((d) => ({ ...d, release: 1, interface: 0 }))) as NodeHidModule['devicesAsync'],
    setDriverType: (type) => { calls.push(`driver ${type}`); },
    getHidapiVersion: () => { calls.push('load'); return '0.15.0'; },
  };
}

// The usb: port form: what the transport parses, and that the device settings accept exactly that.
import { describe, expect, it } from 'vitest';
import { formatPortSpec, parsePortSpec } from '../../../../drivers/transport/port-spec';
import { DeviceDraft } from '../../../../src-main/contract/device-model';

const GOOD = ['usb:0416:5011', 'usb:04B8:0202', 'usb:0416:5011:SN0001', 'usb:1fc9:2016:AB:CD-12'];
const BAD = ['usb:416:5011', 'usb:0416:50111', 'usb:0416', 'usb:', 'usb:xyzw:5011', 'usb://0416:5011', 'usb:0416:5011?baud=9600', 'usb:0416:5011:', 'usb:0416:5011:S N'];

const printer = (port: string) => ({ name: 'Принтер', kind: 'printer', protocol: 'escpos', port, role: 'receipt printer', enabled: true });

describe('usb: port specs', () => {
  it('read hex vendor and product ids and an optional serial number', () => {
    expect(parsePortSpec('usb:0416:5011')).toEqual({ kind: 'usb', vendorId: 0x0416, productId: 0x5011 });
    expect(parsePortSpec('USB:04B8:0E28:X0AB1234')).toEqual({ kind: 'usb', vendorId: 0x04b8, productId: 0x0e28, serialNumber: 'X0AB1234' });
    expect(parsePortSpec('usb:1fc9:2016:AB:CD-12')).toMatchObject({ serialNumber: 'AB:CD-12' });
  });

  it('refuse short or long ids, parameters, the usb:// form and an empty serial, saying what the form is', () => {
    for (const bad of BAD) expect(() => parsePortSpec(bad), bad).toThrow(/usb:VVVV:PPPP/);
    expect(() => parsePortSpec('usb:0416:5011?baud=9600')).toThrow(/takes no parameters/);
  });

  it('round-trip through their text form with lower-case ids', () => {
    expect(formatPortSpec(parsePortSpec('usb:0416:5011'))).toBe('usb:0416:5011');
    expect(formatPortSpec(parsePortSpec('usb:04B8:0202:SN1'))).toBe('usb:04b8:0202:SN1');
  });

  it('are accepted in a printer\'s settings exactly when the transport can parse them', () => {
    for (const port of GOOD) expect(DeviceDraft.safeParse(printer(port)).success, port).toBe(true);
    for (const port of BAD) {
      const parsed = DeviceDraft.safeParse(printer(port));
      expect(parsed.success, port).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({ path: ['port'], message: expect.stringContaining('usb:VVVV:PPPP') });
    }
  });

  it('are refused for kinds that have no USB transport, with the serial port named instead', () => {
    const scanner = DeviceDraft.safeParse({ ...printer('usb:0c2e:0b61'), kind: 'scanner', protocol: 'serial' });
    expect(scanner.success).toBe(false);
    expect(scanner.error?.issues[0]).toMatchObject({ path: ['port'], message: expect.stringMatching(/only a receipt printer.*serial port/) });
  });
});

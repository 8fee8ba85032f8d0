// The real node-hid on this machine: its native part loads (libusb-1.0 is installed) and lists the HID
// devices. CI hosts and containers have no hidraw node, so opening a scanner must end in the typed
// "no HID POS scanner" error, never a crash. A host with a HID POS scanner plugged in would open it
// instead; the test then says so rather than passing by accident.
import { describe, expect, it } from 'vitest';
import { HIDPOS_USAGE_PAGE } from '../../../../drivers/scanners/hidpos/codec';
import { HidPosScanner } from '../../../../drivers/scanners/hidpos/driver';
import { loadNodeHid } from '../../../../drivers/scanners/hidpos/node-hid';
import { ScannerError } from '../../../../drivers/scanners/scanner';

describe('the HID POS scanner on the real node-hid', () => {
  it('loads node-hid with its native part and lists the HID devices', async () => {
    const hid = await loadNodeHid();
    expect(hid.getHidapiVersion()).toMatch(/^\d+\.\d+\.\d+/);
    const devices = await hid.devicesAsync();
    expect(Array.isArray(devices)).toBe(true);
  });

  it('rejects opening a scanner that is not attached with SCANNER_NO_LINK "no HID POS scanner"', async () => {
    const hid = await loadNodeHid();
    const attached = (await hid.devicesAsync()).filter((d) => d.usagePage === HIDPOS_USAGE_PAGE);
    expect(attached, 'a HID POS scanner is plugged into this host; unplug it to run this test').toEqual([]);
    const error = await HidPosScanner.open({ vendorId: 0x0c2e, productId: 0x0b61 }, { id: 'hand' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScannerError);
    expect(error).toMatchObject({ code: 'SCANNER_NO_LINK', details: { vendorId: 0x0c2e, productId: 0x0b61, reason: expect.stringContaining('no HID POS scanner') } });
  });

  it('rejects a hidraw path that does not exist with the same typed error', async () => {
    await expect(HidPosScanner.open({ path: '/dev/hidraw-prilavok-absent' }, { id: 'hand' }))
      .rejects.toMatchObject({ code: 'SCANNER_NO_LINK', details: { path: '/dev/hidraw-prilavok-absent' } });
  });
});

// node-hid, loaded when a HID scanner is opened rather than at startup. It is a dependency, but its
// native part needs system libraries on Linux (libusb-1.0 and libudev: both prebuilt binaries link
// them), and a till without them must still start and sell: a HID scanner there is a ScannerError
// that names the missing library, never a crash.
import type * as NodeHid from 'node-hid';
import { scannerErrors } from '../scanner';

/** The part of node-hid the HID POS driver uses (tests pass a fake with the same shape). */
export type NodeHidModule = Pick<typeof NodeHid, 'HID' | 'devicesAsync' | 'setDriverType' | 'getHidapiVersion'>;

/**
 * node-hid with the hidraw backend on Linux, its native part loaded. hidraw gives the usage page from
 * the report descriptor the kernel already read, which is how a HID POS interface (0x8C) is found
 * (whether the libusb backend reports it on every hidapi build without taking the device from the
 * kernel's HID driver is UNCONFIRMED). node-hid picks hidraw on Linux by default; setting it keeps
 * that true whatever that default becomes.
 * Throws ScannerError SCANNER_UNAVAILABLE when the package or its native part does not load.
 */
export async function loadNodeHid(importNodeHid: () => Promise<unknown> = () => import('node-hid')): Promise<NodeHidModule> {
  let hid: NodeHidModule;
  try {
    const m = (await importNodeHid()) as NodeHidModule & { default?: NodeHidModule };
    hid = m.default?.HID ? m.default : m;
  } catch (error) {
    throw scannerErrors.unavailable('node-hid did not load', { cause: messageOf(error), fix: 'reinstall the application: node-hid is one of its dependencies' });
  }
  // The backend is chosen when the native part loads (node-hid's first call), so it is set first.
  hid.setDriverType('hidraw');
  try {
    hid.getHidapiVersion();
  } catch (error) {
    const cause = messageOf(error);
    const reason = /libusb/i.test(cause)
      ? 'node-hid needs the system library libusb-1.0, which is missing'
      : 'the native part of node-hid did not load (on Linux it needs libusb-1.0 and libudev)';
    throw scannerErrors.unavailable(reason, { cause, fix: 'install libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0)' });
  }
  return hid;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/// <reference types="w3c-web-usb" />
// The `usb` package (3.x: node-usb-rs, a WebUSB-style API) as the USB transport sees it: the few
// calls it makes, typed so that the real `usb` object and an emulated bus (usb-emulated.ts) both fit,
// and the one error every USB failure becomes. The package is imported only when a USB port is opened:
// its native part comes in a per-platform optional package (@node-usb/usb-linux-x64-gnu, …), and a
// till built without it must still start, with a PRINTER_UNAVAILABLE instead of a crash.
import { TransportError } from './byte-transport';

/** The subset of a WebUSB USBDevice the transport uses, plus node-usb's extensions it relies on. */
export interface UsbBulkDevice {
  readonly vendorId: number;
  readonly productId: number;
  /** node-usb reads it from the device when the OS did not cache it, so the getter can throw. */
  readonly serialNumber?: string | null | undefined;
  readonly configuration?: USBConfiguration | null | undefined;
  readonly configurations: USBConfiguration[];
  /**
   * node-usb's id of the plugged device (its bus and address). A 'disconnect' event carries another
   * object for the same device (node-usb keeps its own list), so this is what ties the two together.
   */
  readonly handle?: string;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void>;
  /** WebUSB has no timeout; node-usb takes one as the last argument (default 1000 ms). */
  transferOut(endpointNumber: number, data: Uint8Array<ArrayBuffer>, timeoutMs?: number): Promise<USBOutTransferResult>;
  transferIn(endpointNumber: number, length: number, timeoutMs?: number): Promise<USBInTransferResult>;
  clearHalt(direction: USBDirection, endpointNumber: number): Promise<void>;
  /** node-usb, Linux only: the kernel's usblp driver holds a printer-class interface until detached. */
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
  attachKernelDriver?(interfaceNumber: number): Promise<void>;
}

export interface UsbConnectionEvent { readonly device: UsbBulkDevice }

/** The subset of node-usb's `usb` object (a WebUSB `USB` that needs no requestDevice) the transport uses. */
export interface UsbBus {
  getDevices(): Promise<UsbBulkDevice[]>;
  findDeviceByIds(vendorId: number, productId: number): Promise<UsbBulkDevice | undefined>;
  addEventListener(type: 'disconnect', listener: (event: UsbConnectionEvent) => void): void;
  removeEventListener(type: 'disconnect', listener: (event: UsbConnectionEvent) => void): void;
}

export type UsbFailure =
  /** The usb package or its native part did not load, or this host cannot list USB devices. */
  | 'usb-unavailable'
  /** No device with these ids (and serial number) is plugged in. */
  | 'usb-not-found'
  /** The device is there but has no printer-class or vendor-class interface with a bulk OUT endpoint. */
  | 'usb-not-a-printer'
  /** Opening or claiming failed: permissions (a udev rule), or another program holds the interface. */
  | 'usb-open-failed'
  /** A transfer failed or was cut short while the device stayed plugged in. */
  | 'usb-transfer-failed'
  | 'usb-disconnected';

export class UsbTransportError extends TransportError {
  constructor(readonly code: UsbFailure, message: string, details: Record<string, unknown> = {}) {
    super(message, { usbFailure: code, ...details });
    this.name = 'UsbTransportError';
  }
}

/** node-usb's `usb` object, or UsbTransportError 'usb-unavailable'. */
export async function loadUsbBus(importUsb: () => Promise<unknown> = () => import('usb')): Promise<UsbBus> {
  try {
    const m = (await importUsb()) as { usb?: UsbBus; default?: { usb?: UsbBus } };
    const bus = m.usb ?? m.default?.usb;
    if (!bus) throw new Error('the usb package has no `usb` export (a usb 2.x install? 3.x is needed)');
    return bus;
  } catch (error) {
    throw new UsbTransportError('usb-unavailable', `the usb package did not load: ${messageOf(error)}`, {
      fix: 'reinstall the application: usb and its @node-usb/usb-<platform> native package are dependencies',
    });
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

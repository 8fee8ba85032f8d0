// The lane's peripherals as data (issue 5): scales, scanners, the receipt printer with its drawer and
// the customer display, each configured by the administrator, opened and watched by the device
// manager. calls.ts spreads `deviceCalls`; events.ts spreads `deviceEvents`.
import { z } from 'zod';
import { LocalizedText } from './errors';
import { Receipt } from './model';
import type { Access } from './permissions';
import { Id, IsoTime } from './primitives';

export const DEVICE_KINDS = ['scale', 'scanner', 'printer', 'display'] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** Which protocols each kind speaks (the driver folders under drivers/). */
export const DEVICE_PROTOCOLS: Record<DeviceKind, readonly string[]> = {
  scale: ['massak', 'cas', 'cas-indicator', 'shtrih', 'mettler8217'],
  scanner: ['serial', 'hidpos'],
  printer: ['escpos'],
  display: ['escpos'],
};

/** The roles the settings screen offers; free text is allowed ("весы в мясном отделе"). */
export const DEVICE_ROLES: Record<DeviceKind, string> = {
  scale: 'weighing scale',
  scanner: 'hand scanner',
  printer: 'receipt printer',
  display: 'customer display',
};

/** Protocol-specific settings (scanner suffix, Shtrih password, CAS indicator mode…): flat, small. */
export const DeviceOptions = z.record(z.string().min(1).max(40), z.union([z.string().max(100), z.number(), z.boolean()]))
  .refine((o) => Object.keys(o).length <= 20, 'at most 20 options');
export type DeviceOptions = z.infer<typeof DeviceOptions>;

const DeviceFields = z.object({
  id: Id,
  name: z.string().trim().min(1).max(80),
  kind: DeviceKind,
  protocol: z.string().min(1).max(20),
  /**
   * A port spec: `/dev/ttyUSB0?baud=9600&frame=7E1`, `COM3`, `tcp://HOST:PORT`; a USB printer
   * `usb:VVVV:PPPP[:SERIAL]`; HID-POS: `hid://VID:PID` or a hidraw path.
   */
  port: z.string().trim().min(1).max(200),
  role: z.string().max(80),
  enabled: z.boolean(),
  options: DeviceOptions.default({}),
}).strict();

const protocolFits = (d: { kind: DeviceKind; protocol: string }) => DEVICE_PROTOCOLS[d.kind].includes(d.protocol);
const PROTOCOL_MESSAGE = { message: 'this protocol does not belong to this kind of device', path: ['protocol'] };

/** Hex vendor and product ids as lsusb prints them; the same pattern drivers/transport/port-spec.ts parses. */
const USB_PORT = /^usb:[0-9a-f]{4}:[0-9a-f]{4}(?::[^\s?]+)?$/i;
/** Which kinds have a USB transport (a printer-class or vendor-class bulk pipe); others connect as serial ports. */
const USB_KINDS: readonly DeviceKind[] = ['printer'];

function checkUsbPort(d: { kind: DeviceKind; port: string }, ctx: z.RefinementCtx): void {
  if (!/^usb:/i.test(d.port)) return;
  if (!USB_PORT.test(d.port)) {
    ctx.addIssue({ code: 'custom', path: ['port'], message: 'a USB port is usb:VVVV:PPPP or usb:VVVV:PPPP:SERIAL (hex vendor and product ids, as lsusb shows them)' });
  } else if (!USB_KINDS.includes(d.kind)) {
    ctx.addIssue({ code: 'custom', path: ['port'], message: 'only a receipt printer connects by usb:…; connect this device by its serial port (/dev/ttyACM0, COM3)' });
  }
}

export const DeviceConfig = DeviceFields.refine(protocolFits, PROTOCOL_MESSAGE).superRefine(checkUsbPort);
export type DeviceConfig = z.infer<typeof DeviceConfig>;

/** What the settings screen sends: no id adds a device. */
export const DeviceDraft = DeviceFields.extend({ id: Id.optional() }).refine(protocolFits, PROTOCOL_MESSAGE).superRefine(checkUsbPort);
export type DeviceDraft = z.input<typeof DeviceDraft>;

/**
 * - disabled: configured but switched off;
 * - connecting: opening the port (first time, or a reconnect attempt);
 * - up: open and the last health check answered;
 * - down: lost or never opened; the manager retries with backoff (retryAt).
 */
export const DeviceState = z.enum(['disabled', 'connecting', 'up', 'down']);
export type DeviceState = z.infer<typeof DeviceState>;

export const DeviceStatus = z.object({
  id: Id,
  name: z.string(),
  kind: DeviceKind,
  role: z.string(),
  state: DeviceState,
  /** Why it is down (or what it last complained about), in the cashier's words. */
  lastError: LocalizedText.nullable(),
  /** The device is up but needs a person: paper near end, cover open. */
  warning: LocalizedText.nullable(),
  lastSeenAt: IsoTime.nullable(),
  retryAt: IsoTime.nullable(),
  /** Failed attempts since it was last up. */
  failures: z.number().int(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const WEIGHT_STATES = ['stable', 'unstable', 'overload', 'underload', 'zero', 'error'] as const;

/** The scale's live weight; 'error' with a message when there is no scale or it is down. */
export const LiveWeight = z.object({
  deviceId: Id.nullable(),
  grams: z.number().int().nullable(),
  stable: z.boolean(),
  state: z.enum(WEIGHT_STATES),
  unit: z.enum(['kg', 'g']),
  message: LocalizedText.nullable(),
  at: IsoTime,
});
export type LiveWeight = z.infer<typeof LiveWeight>;

export const ScannerScanned = z.object({
  code: z.string(),
  /** The scanner's device id. */
  source: z.string(),
  symbology: z.string().nullable(),
});
export type ScannerScanned = z.infer<typeof ScannerScanned>;

export const DeviceTestResult = z.object({
  ok: z.boolean(),
  message: LocalizedText,
  weight: LiveWeight.nullable(),
});
export type DeviceTestResult = z.infer<typeof DeviceTestResult>;

export const deviceEvents = {
  /** Every device's health, after any device changed state (not on each health check). */
  'devices.changed': z.object({ devices: z.array(DeviceStatus) }),
  /** Live weight pushes: on change only, at most about five a second. */
  'scale.weight': LiveWeight,
  /** A code from a configured scanner; the sale screen adds it through receipt.scan (source 'scanner'). */
  'scanner.scanned': ScannerScanned,
} as const;

function call<Req extends z.ZodType, Res extends z.ZodType>(access: Access, request: Req, response: Res) {
  return { access, request, response };
}

const Empty = z.object({}).strict();

export const deviceCalls = {
  // Configuration is the administrator's (catalog.manage = lane configuration), like video sinks.
  'devices.list': call('catalog.manage', Empty, z.object({ devices: z.array(DeviceConfig), status: z.array(DeviceStatus) })),
  /** Adds (id absent) or replaces a device; it is reopened with the new settings, no restart. */
  'devices.save': call('catalog.manage', z.object({ device: DeviceDraft }).strict(), z.object({ device: DeviceConfig })),
  'devices.remove': call('catalog.manage', z.object({ deviceId: Id }).strict(), Empty),
  /** Runs the device's health check now (scale: a reading; printer: DLE EOT status; display: a test line). */
  'devices.test': call('catalog.manage', z.object({ deviceId: Id }).strict(), DeviceTestResult),
  /** Every device's health for the status bar. */
  'devices.status': call('session', Empty, z.object({ devices: z.array(DeviceStatus) })),
  'scale.weight': call('sale.sell', Empty, LiveWeight),
  /**
   * Opens the cash drawer outside a payment ("no sale"). It hands out cash with no document, the same
   * risk as cancelling a receipt, so it takes the same right: a cashier needs a supervisor's PIN.
   */
  'drawer.open': call('sale.cancelReceipt', Empty, Empty),
  /** Adds a weighed product with the weight the lane's scale reads now (stable, above the minimum). */
  'receipt.addWeighed': call('sale.sell', z.object({ receiptId: Id, productId: Id }).strict(), Receipt),
};

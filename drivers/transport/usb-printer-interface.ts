/// <reference types="w3c-web-usb" />
// Which interface of a USB device carries a printer's byte stream. Pure: it reads the configuration
// descriptor the device reported and names the interface, its alternate setting and bulk endpoints.
//
// USB Printer Class 1.1, interface descriptor: bInterfaceClass 0x07, bInterfaceProtocol 0x01
// unidirectional (bulk OUT only), 0x02 bidirectional (bulk OUT + bulk IN), 0x03 IEEE 1284.4 (packets
// wrapped in 1284.4 framing). Status answers (DLE EOT) need the IN pipe, so the bidirectional
// alternate comes first. Many POS printers instead expose a vendor-specific interface (class 0xFF)
// with bulk endpoints that take the same ESC/POS bytes; that is the fallback when there is no
// printer-class interface. A CDC (virtual COM) printer is neither: the OS makes it a serial port.

export const USB_CLASS_PRINTER = 0x07;
export const USB_CLASS_VENDOR = 0xff;

export interface UsbBulkEndpoint { readonly endpointNumber: number; readonly packetSize: number }

export interface UsbPrinterInterface {
  readonly interfaceNumber: number;
  readonly alternateSetting: number;
  /** Whether a switch away from the interface's default alternate setting is needed after claiming it. */
  readonly alternateIsDefault: boolean;
  readonly interfaceClass: number;
  readonly interfaceProtocol: number;
  readonly out: UsbBulkEndpoint;
  /** The bulk IN endpoint the printer answers on; null on a unidirectional interface (no status). */
  readonly in: UsbBulkEndpoint | null;
}

/** The best printer interface of a configuration, or null when the device is not a printer. */
export function choosePrinterInterface(configuration: Pick<USBConfiguration, 'interfaces'>): UsbPrinterInterface | null {
  let best: { rank: number; choice: UsbPrinterInterface } | null = null;
  for (const iface of configuration.interfaces) {
    for (const alt of iface.alternates) {
      const out = bulk(alt.endpoints, 'out');
      if (!out) continue;
      const rank = rankOf(alt);
      if (rank === null) continue;
      const alternateIsDefault = alt.alternateSetting === iface.alternate.alternateSetting;
      // Equal ranks: the default alternate (no switch), then the lower interface number (the order given).
      if (best && (best.rank < rank || (best.rank === rank && (best.choice.alternateIsDefault || !alternateIsDefault)))) continue;
      best = {
        rank,
        choice: {
          interfaceNumber: iface.interfaceNumber, alternateSetting: alt.alternateSetting, alternateIsDefault,
          interfaceClass: alt.interfaceClass, interfaceProtocol: alt.interfaceProtocol,
          out, in: bulk(alt.endpoints, 'in'),
        },
      };
    }
  }
  return best?.choice ?? null;
}

/** Lower is better; null: not a printer's interface. */
function rankOf(alt: USBAlternateInterface): number | null {
  if (alt.interfaceClass === USB_CLASS_PRINTER) {
    if (alt.interfaceProtocol === 0x02) return 0;
    if (alt.interfaceProtocol === 0x01) return 1;
    // 1284.4 (0x03) or a protocol the class does not define. Whether such printers take raw ESC/POS
    // on this alternate without a 1284.4 session is UNCONFIRMED; it is only used when nothing else is.
    return 2;
  }
  if (alt.interfaceClass === USB_CLASS_VENDOR) return 3;
  return null;
}

function bulk(endpoints: readonly USBEndpoint[], direction: USBDirection): UsbBulkEndpoint | null {
  const e = endpoints.find((x) => x.type === 'bulk' && x.direction === direction);
  return e ? { endpointNumber: e.endpointNumber, packetSize: e.packetSize } : null;
}

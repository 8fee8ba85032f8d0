// Which interface of a USB device the printer transport claims, from its configuration descriptor.
import { describe, expect, it } from 'vitest';
import { USB_DESCRIPTORS, EmulatedUsbDevice, type EmulatedInterface } from '../../../../drivers/transport/usb-emulated';
import { choosePrinterInterface } from '../../../../drivers/transport/usb-printer-interface';

const configurationOf = (interfaces: EmulatedInterface[]) => new EmulatedUsbDevice({ vendorId: 1, productId: 2, interfaces }).configuration;

describe('choosing the printer interface', () => {
  it('takes the bidirectional alternate of a printer-class interface, for its IN endpoint', () => {
    expect(choosePrinterInterface(configurationOf(USB_DESCRIPTORS.printerClass()))).toEqual({
      interfaceNumber: 0, alternateSetting: 1, alternateIsDefault: false, interfaceClass: 7, interfaceProtocol: 2,
      out: { endpointNumber: 1, packetSize: 64 }, in: { endpointNumber: 2, packetSize: 64 },
    });
  });

  it('takes a unidirectional printer interface with no IN endpoint when that is all there is', () => {
    expect(choosePrinterInterface(configurationOf(USB_DESCRIPTORS.printerClassOneWay())))
      .toMatchObject({ interfaceNumber: 0, alternateSetting: 0, alternateIsDefault: true, interfaceProtocol: 1, in: null });
  });

  it('falls back to the vendor-class interface with a bulk OUT endpoint, past a HID interface', () => {
    expect(choosePrinterInterface(configurationOf(USB_DESCRIPTORS.vendorClass()))).toEqual({
      interfaceNumber: 1, alternateSetting: 0, alternateIsDefault: true, interfaceClass: 0xff, interfaceProtocol: 0,
      out: { endpointNumber: 3, packetSize: 64 }, in: { endpointNumber: 4, packetSize: 64 },
    });
  });

  it('prefers a printer-class interface to a vendor-class one, whatever their order', () => {
    const [printer] = USB_DESCRIPTORS.printerClass();
    const interfaces = [...USB_DESCRIPTORS.vendorClass(), { ...printer!, interfaceNumber: 2 }];
    expect(choosePrinterInterface(configurationOf(interfaces))).toMatchObject({ interfaceNumber: 2, interfaceClass: 7 });
  });

  it('uses a 1284.4 alternate only when no other printer interface exists', () => {
    const only1284: EmulatedInterface[] = [{ interfaceNumber: 0, alternates: [
      { alternateSetting: 0, interfaceClass: 7, interfaceSubclass: 1, interfaceProtocol: 3, endpoints: [
        { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 512 }, { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 512 },
      ] },
    ] }];
    expect(choosePrinterInterface(configurationOf(only1284))).toMatchObject({ interfaceProtocol: 3, out: { packetSize: 512 } });
    const withOneWay = [{ ...only1284[0]!, alternates: [...only1284[0]!.alternates, ...USB_DESCRIPTORS.printerClassOneWay()[0]!.alternates.map((a) => ({ ...a, alternateSetting: 1 }))] }];
    expect(choosePrinterInterface(configurationOf(withOneWay))).toMatchObject({ interfaceProtocol: 1, alternateSetting: 1 });
  });

  it('finds nothing on a HID-only device or an interface without a bulk OUT endpoint', () => {
    expect(choosePrinterInterface(configurationOf(USB_DESCRIPTORS.hidOnly()))).toBeNull();
    const inOnly: EmulatedInterface[] = [{ interfaceNumber: 0, alternates: [
      { alternateSetting: 0, interfaceClass: 0xff, interfaceSubclass: 0, interfaceProtocol: 0, endpoints: [{ endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 }] },
    ] }];
    expect(choosePrinterInterface(configurationOf(inOnly))).toBeNull();
  });
});

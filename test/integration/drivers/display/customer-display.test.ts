// The Epson-command customer display against its emulator on a real pty.
import { afterEach, describe, expect, it } from 'vitest';
import { EpsonCustomerDisplay } from '../../../../drivers/display/escpos/driver';
import { CustomerDisplayEmulator } from '../../../../drivers/display/escpos/emulator';
import { itemScreen, totalScreen } from '../../../../drivers/display/layout';
import { createPtyPair } from '../../../../drivers/transport/pty';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

describe('the customer display on a pty', () => {
  it('shows the item and then the total in Cyrillic, in place', async () => {
    const pty = await createPtyPair();
    cleanups.push(() => pty.close());
    const emulator = await CustomerDisplayEmulator.start({ serialPath: pty.devicePath });
    cleanups.push(() => emulator.close());
    const display = await EpsonCustomerDisplay.open(`${pty.hostPath}?baud=9600`);
    cleanups.push(() => display.close());
    await display.show(itemScreen('Кефир 2,5% 900 г', 10_990));
    await expect.poll(() => emulator.lines()).toEqual(['Кефир 2,5% 900 г    ', '              109,90']);
    await display.show(totalScreen(54_321, { second: 'Спасибо за покупку!' }));
    await expect.poll(() => emulator.lines()).toEqual(['ИТОГО         543,21', 'Спасибо за покупку! ']);
    await display.clear();
    await expect.poll(() => emulator.lines()).toEqual([' '.repeat(20), ' '.repeat(20)]);
    expect(emulator.screen.unknown).toEqual([]);
    expect(emulator.screen.table).toBe(17);
  });
});

// The ESC/POS printer driver against its emulator on TCP and on a real pty: Cyrillic as the
// emulator decodes it, paper out before and during a slip, the drawer through the printer.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runPrinterEmulator } from '../../../../drivers/printer/emulator-cli';
import { EscPosPrinter, type EscPosOptions } from '../../../../drivers/printer/escpos/driver';
import { EscPosEmulator } from '../../../../drivers/printer/escpos/emulator';
import { createPtyPair } from '../../../../drivers/transport/pty';

const FAST: EscPosOptions = { statusTimeoutMs: 200, printTimeoutMs: 400 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function rig(kind: 'tcp' | 'pty') {
  const pty = kind === 'pty' ? await createPtyPair() : null;
  if (pty) cleanups.push(() => pty.close());
  const emulator = await EscPosEmulator.start(pty ? { serialPath: pty.devicePath } : { tcp: { host: '127.0.0.1', port: 0 } });
  cleanups.push(() => emulator.close());
  const printer = await EscPosPrinter.open(pty ? pty.hostPath : `tcp://${emulator.address}`, FAST);
  cleanups.push(() => printer.close());
  return { emulator, printer };
}

const SLIP = ['ПАО СБЕРБАНК', { text: 'ОПЛАТА', bold: true, align: 'center' as const }, 'Сумма: 1 234,50 ₽', { text: 'ОДОБРЕНО', double: true }];

describe.each(['tcp', 'pty'] as const)('the ESC/POS printer over %s', (kind) => {
  it('prints a Cyrillic slip the emulator decodes back exactly, and cuts it', async () => {
    const { emulator, printer } = await rig(kind);
    await printer.printSlip(SLIP);
    expect(emulator.slips).toHaveLength(1);
    expect(emulator.slips[0]!.slice(0, 4)).toEqual(['ПАО СБЕРБАНК', 'ОПЛАТА', 'Сумма: 1 234,50 р.', 'ОДОБРЕНО']);
    expect(emulator.commands).toEqual(expect.arrayContaining(['initialize', 'code-page', 'bold', 'align', 'size', 'cut']));
  });

  it('opens the drawer with a kick, and the status query reports it until it is closed', async () => {
    const { emulator, printer } = await rig(kind);
    expect(await printer.drawerState()).toBe('closed');
    await printer.openDrawer();
    await expect.poll(() => emulator.drawerOpen).toBe(true);
    expect(await printer.drawerState()).toBe('open');
    expect((await printer.status()).drawer).toBe('open');
    emulator.closeDrawer();
    expect(await printer.drawerState()).toBe('closed');
  });
});

describe('the ESC/POS printer and its faults', () => {
  it('refuses to start a slip without paper or with the cover open', async () => {
    const { emulator, printer } = await rig('tcp');
    emulator.paper = 'out';
    await expect(printer.printSlip(['x'])).rejects.toMatchObject({ code: 'PRINTER_PAPER_OUT', details: { when: 'before' } });
    emulator.loadPaper();
    emulator.coverOpen = true;
    await expect(printer.printSlip(['x'])).rejects.toMatchObject({ code: 'PRINTER_COVER_OPEN' });
    emulator.coverOpen = false;
    expect(emulator.lines).toEqual([]);
    emulator.paper = 'near-end';
    expect(await printer.status()).toMatchObject({ online: true, paper: 'near-end', coverOpen: false, errors: [] });
    await printer.printSlip(['ok']);
    expect(emulator.lines[0]).toBe('ok');
  });

  it('detects the paper running out in the middle of a slip', async () => {
    const { emulator, printer } = await rig('pty');
    emulator.paperOutAfter(2);
    await expect(printer.printSlip(['one', 'two', 'three', 'four'])).rejects.toMatchObject({ code: 'PRINTER_PAPER_OUT', details: { when: 'during', printedFully: false } });
    expect(emulator.lines).toEqual(['one', 'two']);
    expect(await printer.status()).toMatchObject({ paper: 'out', stoppedByPaperEnd: true, online: false });
    emulator.loadPaper();
    await printer.printSlip(['again']);
    expect(emulator.lines.at(-1)).toBe('again');
  });

  it('reports a printer that does not answer', async () => {
    const { emulator, printer } = await rig('tcp');
    emulator.silent = true;
    await expect(printer.status()).rejects.toMatchObject({ code: 'PRINTER_NO_ANSWER' });
    await expect(printer.printSlip(['x'])).rejects.toMatchObject({ code: 'PRINTER_NO_ANSWER' });
    emulator.silent = false;
    expect((await printer.status()).online).toBe(true);
  });
});

describe('runPrinterEmulator', () => {
  it('serves on TCP, echoes printed lines and takes state from stdin', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stdin = new PassThrough();
    const stop = new AbortController();
    const done = runPrinterEmulator(['--tcp', '127.0.0.1:0'], { stdout: (l) => out.push(l), stderr: (l) => err.push(l), stdin }, stop.signal);
    await expect.poll(() => out.length).toBeGreaterThan(0);
    const address = out[0]!.trim().split(' ')[1]!;
    expect(out[0]).toMatch(/^ESCPOS_READY 127\.0\.0\.1:\d+\n$/);
    const printer = await EscPosPrinter.open(`tcp://${address}`, FAST);
    try {
      await printer.printSlip(['Привет']);
      await expect.poll(() => out.join('')).toContain('PRINT Привет\n');
      stdin.write('paper out\nnonsense\n');
      await expect.poll(() => err.join('')).toContain("unknown command 'nonsense'");
      await expect(printer.printSlip(['x'])).rejects.toMatchObject({ code: 'PRINTER_PAPER_OUT' });
    } finally {
      await printer.close();
      stop.abort();
    }
    expect(await done).toBe(0);
    const io = { stdout: () => undefined, stderr: () => undefined };
    expect(await runPrinterEmulator([], io)).toBe(2);
    expect(await runPrinterEmulator(['--tcp', 'x'], io)).toBe(2);
  });
});

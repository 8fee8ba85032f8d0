// The Shtrih driver kicks the cash drawer wired to the register (28h) against the emulator over a real
// pty (socat) and over TCP, and reads the drawer switch back from the status flags.
import { afterEach, describe, expect, it } from 'vitest';
import { startShtrihRig, type LinkKind, type ShtrihRig } from '../../../helpers/pty';
import { FiscalError } from '../../../../drivers/fiscal/fiscal-error';
import type { DrawerNumber } from '../../../../drivers/fiscal/fiscal-register';

let rig: ShtrihRig | null = null;
afterEach(async () => { await rig?.close(); rig = null; });

async function until(what: string, test: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each<LinkKind>(['pty', 'tcp'])('Shtrih cash drawer over %s', (kind) => {
  it('opens drawer 0 or 1 and the status shows it open until the cashier shuts it', async () => {
    rig = await startShtrihRig(kind);
    const { register, emulator } = rig;
    expect((await register.status()).drawerOpen).toBe(false);
    await register.openDrawer(1);
    expect(emulator.drawers.kicks).toEqual([0, 1]);
    expect((await register.status()).drawerOpen).toBe(true);
    emulator.closeDrawer();
    expect((await register.status()).drawerOpen).toBe(false);
    await register.openDrawer(0);
    expect(emulator.drawers.kicks).toEqual([1, 1]);
  });

  it('sees a drawer that is pushed shut on its own after the configured time', async () => {
    rig = await startShtrihRig(kind, { drawerCloseMs: 150 });
    await rig.register.openDrawer(0);
    expect((await rig.register.status()).drawerOpen).toBe(true);
    await until('the drawer to shut', async () => (await rig!.register.status()).drawerOpen === false);
  });

  it('a kick whose ACK was lost is recovered with ENQ and never sent twice', async () => {
    rig = await startShtrihRig(kind);
    rig.emulator.arm('drop-ack');
    await rig.register.openDrawer(0);
    expect(rig.emulator.drawers.kicks).toEqual([1, 0]);
  });

  it('a kick the register never received ends in outcome-unknown and is not resent', async () => {
    rig = await startShtrihRig(kind);
    rig.emulator.arm('drop-frame');
    const failure = await rig.register.openDrawer(0).then(() => null, (e: unknown) => e);
    expect(failure).toBeInstanceOf(FiscalError);
    expect(failure).toMatchObject({ kind: 'outcome-unknown', details: { command: 'openDrawer' } });
    expect(rig.emulator.drawers.kicks).toEqual([0, 0]);
    // The link is fine afterwards: the next command goes through.
    expect((await rig.register.status()).drawerOpen).toBe(false);
  });

  it('refuses a drawer the register does not have before a byte goes out', async () => {
    rig = await startShtrihRig(kind);
    await expect(rig.register.openDrawer(2 as DrawerNumber)).rejects.toThrow(RangeError);
    expect(rig.emulator.drawers.kicks).toEqual([0, 0]);
  });
});

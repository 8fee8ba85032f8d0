// 28h "Открыть денежный ящик": its bytes both ways, the emulated drawers it opens and the status flag
// (bit 11) that shows them, and the emulator CLI's control lines.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../../drivers/fiscal/shtrih/codec';
import { CMD, STATUS_FLAG, decodeAnswer, decodeRequest, encodeAnswer, encodeRequest } from '../../../../drivers/fiscal/shtrih/commands';
import { ShtrihDevice } from '../../../../drivers/fiscal/shtrih/emulator-device';
import { EmulatedDrawers } from '../../../../drivers/fiscal/shtrih/emulator-drawer';
import { freshState } from '../../../../drivers/fiscal/shtrih/emulator-state';
import { control } from '../../../../drivers/fiscal/shtrih/emulator-cli';

afterEach(() => { vi.useRealTimers(); });

describe('28h open the cash drawer: bytes', () => {
  it('encodes the operator password (4 bytes LE) and the drawer number after the command byte', () => {
    expect([...encodeRequest(CMD.openDrawer, { password: 30, drawer: 1 })]).toEqual([0x28, 0x1e, 0x00, 0x00, 0x00, 0x01]);
    expect([...encodeFrame(encodeRequest(CMD.openDrawer, { password: 30, drawer: 0 }))])
      .toEqual([0x02, 0x06, 0x28, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x06 ^ 0x28 ^ 0x1e]);
  });

  it('decodes the same request on the device side', () => {
    const { code, spec, values } = decodeRequest(Uint8Array.of(0x28, 0x03, 0x00, 0x00, 0x00, 0x01));
    expect(code).toBe(0x28);
    expect(spec).toMatchObject({ name: 'openDrawer', readOnly: false });
    expect(values).toEqual({ password: 3, drawer: 1 });
  });

  it('answers the error code and the operator number, and only the error code on a refusal', () => {
    expect([...encodeAnswer(CMD.openDrawer, 0, { operator: 30 })]).toEqual([0x28, 0x00, 0x1e]);
    expect(decodeAnswer(Uint8Array.of(0x28, 0x00, 0x1e))).toEqual({ code: 0x28, error: 0, values: { operator: 30 } });
    expect(decodeAnswer(decodeFrame(encodeFrame(Uint8Array.of(0x28, 0x4f))))).toEqual({ code: 0x28, error: 0x4f, values: {} });
  });

  it('refuses a drawer number that does not fit a byte before anything is framed', () => {
    expect(() => encodeRequest(CMD.openDrawer, { password: 30, drawer: 256 })).toThrow(/drawer/);
    expect(() => encodeRequest(CMD.openDrawer, { password: 30 })).toThrow(/drawer: missing/);
  });
});

function device(drawers = new EmulatedDrawers()) {
  const d = new ShtrihDevice(freshState(), { stateFile: null, drawers });
  const run = (code: number, values: Record<string, unknown> = {}) =>
    decodeAnswer(d.execute(encodeRequest(code, { password: 30, ...values } as never)).answer);
  const flags = () => run(CMD.shortStatus).values.flags as number;
  return { d, run, flags, drawers };
}

describe('the emulated register\'s cash drawers', () => {
  it('opens the drawer it is told and shows it in bit 11 of the short and full status flags until it is shut', () => {
    const { run, flags, drawers } = device();
    expect(flags() & STATUS_FLAG.drawerOpen).toBe(0);
    expect(run(CMD.openDrawer, { drawer: 1 })).toEqual({ code: 0x28, error: 0, values: { operator: 30 } });
    expect(drawers.isOpen(1)).toBe(true);
    expect(drawers.isOpen(0)).toBe(false);
    expect(flags() & STATUS_FLAG.drawerOpen).toBe(STATUS_FLAG.drawerOpen);
    expect((run(CMD.fullStatus).values.flags as number) & STATUS_FLAG.drawerOpen).toBe(STATUS_FLAG.drawerOpen);
    // The paper-roll bits are unchanged by the drawer.
    expect(flags() & (STATUS_FLAG.journalRoll | STATUS_FLAG.receiptRoll)).toBe(0x0003);
    drawers.close(1);
    expect(flags() & STATUS_FLAG.drawerOpen).toBe(0);
  });

  it('refuses a third drawer with 33h and a wrong password with 4Fh, opening nothing', () => {
    const { d, run, drawers } = device();
    expect(run(CMD.openDrawer, { drawer: 2 }).error).toBe(0x33);
    const wrong = decodeAnswer(d.execute(encodeRequest(CMD.openDrawer, { password: 31, drawer: 0 })).answer);
    expect(wrong.error).toBe(0x4f);
    expect(drawers.kicks).toEqual([0, 0]);
    expect(drawers.isOpen()).toBe(false);
  });

  it('opens the drawer while the register is out of paper: a kick prints nothing', () => {
    const { d, run, drawers } = device();
    d.paperOutWhilePrinting();
    expect(run(CMD.openDrawer, { drawer: 0 }).error).toBe(0);
    expect(drawers.isOpen(0)).toBe(true);
  });

  it('shuts a kicked drawer after closeAfterMs, and a second kick restarts the wait', () => {
    vi.useFakeTimers();
    const changes: string[] = [];
    const drawers = new EmulatedDrawers(1_000, (drawer, open) => changes.push(`${drawer}:${open ? 'open' : 'closed'}`));
    drawers.kick(0);
    vi.advanceTimersByTime(600);
    drawers.kick(0);
    vi.advanceTimersByTime(600);
    expect(drawers.isOpen(0)).toBe(true);
    vi.advanceTimersByTime(400);
    expect(drawers.isOpen(0)).toBe(false);
    expect(drawers.kicks).toEqual([2, 0]);
    expect(changes).toEqual(['0:open', '0:closed']);
  });
});

describe('the Shtrih emulator CLI\'s control lines', () => {
  it('shuts one drawer or both, loads paper, and names what it does not know', () => {
    const calls: string[] = [];
    const emulator = { closeDrawer: (d?: 0 | 1) => { calls.push(`close ${d ?? 'both'}`); }, loadPaper: () => { calls.push('paper'); } };
    expect(control(emulator, 'drawer close')).toBeNull();
    expect(control(emulator, 'drawer close 1')).toBeNull();
    expect(control(emulator, ' paper load ')).toBeNull();
    expect(control(emulator, '')).toBeNull();
    expect(control(emulator, 'drawer close 2')).toMatch(/unknown command/);
    expect(control(emulator, 'drawer open')).toMatch(/unknown command/);
    expect(calls).toEqual(['close both', 'close 1', 'paper']);
  });
});

// The cash drawers wired to the emulated register: two connectors, as 28h "Открыть денежный ящик"
// addresses them (0 and 1). A kick opens one; a person pushes it shut — `closeAfterMs` after the
// kick, or when a test or the emulator's CLI says so. A drawer is hardware beside the register, so it
// is not in the state file, and a power cut of the register leaves it as it is.
import type { DrawerNumber } from '../fiscal-register';

export type DrawerListener = (drawer: DrawerNumber, open: boolean) => void;

export class EmulatedDrawers {
  private readonly openNow: [boolean, boolean] = [false, false];
  private readonly timers: [NodeJS.Timeout | null, NodeJS.Timeout | null] = [null, null];
  /** Kicks received per drawer, a kick of an open drawer included. */
  readonly kicks: [number, number] = [0, 0];

  /** closeAfterMs: null keeps a kicked drawer open until close(). */
  constructor(private closeAfterMs: number | null = null, private readonly onChange: DrawerListener = () => undefined) {}

  kick(drawer: DrawerNumber): void {
    this.kicks[drawer]++;
    this.clearTimer(drawer);
    if (!this.openNow[drawer]) {
      this.openNow[drawer] = true;
      this.onChange(drawer, true);
    }
    const ms = this.closeAfterMs;
    if (ms === null) return;
    const timer = setTimeout(() => { this.timers[drawer] = null; this.close(drawer); }, ms);
    timer.unref?.();
    this.timers[drawer] = timer;
  }

  /** Pushes a drawer shut (both when none is named). */
  close(drawer?: DrawerNumber): void {
    for (const d of drawer === undefined ? ([0, 1] as const) : [drawer]) {
      this.clearTimer(d);
      if (!this.openNow[d]) continue;
      this.openNow[d] = false;
      this.onChange(d, false);
    }
  }

  /** Whether a drawer is open (either one when none is named: the register has one switch input). */
  isOpen(drawer?: DrawerNumber): boolean {
    return drawer === undefined ? this.openNow[0] || this.openNow[1] : this.openNow[drawer];
  }

  /** How long a kicked drawer stays open from now on (null: until close()). */
  setCloseAfter(ms: number | null): void {
    this.closeAfterMs = ms;
  }

  dispose(): void {
    this.clearTimer(0);
    this.clearTimer(1);
  }

  private clearTimer(drawer: DrawerNumber): void {
    const timer = this.timers[drawer];
    if (timer) clearTimeout(timer);
    this.timers[drawer] = null;
  }
}

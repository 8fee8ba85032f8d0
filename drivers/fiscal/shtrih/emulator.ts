// The Shtrih-M emulator's link side: it speaks the device half of the ENQ/ACK/NAK protocol
// (reference §1.1) on a serial port (pty) or TCP, runs frames through ShtrihDevice and injects
// faults. Over TCP it sends the extra 0xFF after the host's ACK, like real Ethernet/RNDIS registers.
// With `pace` every byte takes its line time at `baudRate` both ways (drivers/emulator-support/line-pacing.ts), for benchmarks.
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteTransport } from '../../transport/byte-transport';
import { openSerial } from '../../transport/serial';
import { socketTransport } from '../../transport/tcp';
import { ACK, ENQ, NAK, STX, TCP_FILLER, encodeFrame, lrc } from './codec';
import { SHTRIH_ERROR } from './errors';
import { ShtrihDevice } from './emulator-device';
import { EmulatedDrawers, type DrawerListener } from './emulator-drawer';
import { loadState, type EmulatorState } from './emulator-state';
import { NO_FAULTS, seededRandom, type CommandTrigger, type FaultSpec } from './faults';
import { pacedTransport, type PacedTransport } from '../../emulator-support/line-pacing';

export type OneShotFault = 'drop-ack' | 'drop-frame' | 'bad-lrc' | 'late' | 'power-cut' | 'paper-out';

export interface EmulatorOptions {
  /** Serial device to open (the device end of a pty pair). */
  serialPath?: string;
  /** Listen on TCP instead (port 0 picks a free port). */
  tcp?: { host: string; port: number };
  stateFile?: string | null;
  faults?: FaultSpec;
  seed?: number;
  now?: () => number;
  /** The "operator" loads paper this long after it ran out; null = only loadPaper() does. */
  paperReloadMs?: number | null;
  /** Called after a power cut: the document is in the state file and no answer went out. */
  onPowerCut?: () => void;
  /** Optional initial state (tests); ignored when the state file exists. */
  initialState?: EmulatorState;
  /** Line rate: the serial port's baud rate, and the rate `pace` keeps to. Default 115 200. */
  baudRate?: number;
  /**
   * Every byte sent or received takes its line time at `baudRate` (10 bits per byte), and the device adds
   * no processing time of its own: what a benchmark of the driver needs over a pty or a socket.
   */
  pace?: boolean;
  /** The modelled OFD acknowledges a document this long after it is written; null = offline (ShtrihDevice). */
  ofdAckMs?: number | null;
  /** A kicked cash drawer is pushed shut this long after the kick; null (default) = only closeDrawer() shuts it. */
  drawerCloseMs?: number | null;
  /** Hears a drawer open and close (the CLI prints it). */
  onDrawer?: DrawerListener;
}

/** Gives up on a frame whose bytes stop coming (the spec's inter-byte timeout, generously). */
const FRAME_GAP_MS = 1_000;

class Session {
  private phase: 'idle' | 'len' | 'body' = 'idle';
  private expected = 0;
  private body: number[] = [];
  private gapTimer: NodeJS.Timeout | null = null;
  private pending: Uint8Array | null = null;
  private lateTimer: NodeJS.Timeout | null = null;
  private readonly detach: () => void;
  /** The line as the device sees it: the transport itself, or the same paced at the baud rate. */
  private readonly line: ByteTransport;
  private readonly paced: PacedTransport | null;

  constructor(private readonly emulator: ShtrihEmulator, readonly transport: ByteTransport) {
    this.paced = emulator.pacing ? pacedTransport(transport, { baudRate: emulator.pacing.baudRate }) : null;
    this.line = this.paced ?? transport;
    this.detach = this.line.onData((chunk) => { for (const b of chunk) this.onByte(b); });
  }

  dispose(): void {
    this.detach();
    this.clearTimers();
    this.paced?.discardPending();
  }

  /** Closes the line (and the pacing around it). */
  close(): Promise<void> {
    return this.line.close();
  }

  reset(): void {
    this.paced?.discardPending();
    this.clearTimers();
    this.pending = null;
    this.phase = 'idle';
    this.body = [];
  }

  private clearTimers(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.lateTimer) clearTimeout(this.lateTimer);
    this.gapTimer = null;
    this.lateTimer = null;
  }

  private write(bytes: Uint8Array): void {
    this.line.write(bytes).catch(() => undefined);
  }

  private onByte(b: number): void {
    if (!this.emulator.powered) return;
    switch (this.phase) {
      case 'idle':
        if (b === ENQ) {
          if (this.pending) {
            // An answer is waiting (or was lost / NAKed): ACK, then the frame again (spec step 4).
            if (this.lateTimer) { clearTimeout(this.lateTimer); this.lateTimer = null; }
            this.write(Uint8Array.of(ACK));
            this.write(this.pending);
          } else {
            this.write(Uint8Array.of(NAK));
          }
        } else if (b === STX) {
          this.phase = 'len';
          this.armGap();
        } else if (b === ACK) {
          this.pending = null;
          if (this.transport.kind === 'tcp') this.write(Uint8Array.of(TCP_FILLER));
        }
        // NAK: keep the answer until the host asks again with ENQ. Anything else is line noise.
        return;
      case 'len':
        if (b === 0) { this.phase = 'idle'; return; }
        this.expected = b + 1;
        this.body = [b];
        this.phase = 'body';
        this.armGap();
        return;
      case 'body':
        this.body.push(b);
        this.armGap();
        if (this.body.length === this.expected + 1) {
          if (this.gapTimer) clearTimeout(this.gapTimer);
          this.phase = 'idle';
          this.onFrame(Uint8Array.from(this.body));
        }
    }
  }

  private armGap(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = setTimeout(() => { this.phase = 'idle'; this.body = []; }, FRAME_GAP_MS);
  }

  /** `bytes` = LEN payload LRC. */
  private onFrame(bytes: Uint8Array): void {
    const len = bytes[0]!;
    const payload = bytes.subarray(1, 1 + len);
    if (bytes[1 + len] !== lrc(len, payload)) {
      this.write(Uint8Array.of(NAK));
      return;
    }
    const em = this.emulator;
    if (em.fault('drop-frame')) return;
    if (!em.fault('drop-ack')) this.write(Uint8Array.of(ACK));
    const exec = em.device.execute(payload);
    let answer = exec.answer;
    const ok = answer[exec.code > 0xff ? 2 : 1] === 0;
    if (ok && em.triggered('power-cut', exec.code)) {
      em.cutPower();
      return;
    }
    if (ok && exec.wroteDocument && em.triggered('paper-out', exec.code)) {
      em.device.paperOutWhilePrinting();
      answer = exec.code > 0xff ? Uint8Array.of(exec.code >> 8, exec.code & 0xff, SHTRIH_ERROR.noPaper) : Uint8Array.of(exec.code, SHTRIH_ERROR.noPaper);
      em.schedulePaperReload();
    }
    const frame = encodeFrame(answer);
    this.pending = frame;
    const sendNow = () => {
      if (em.fault('bad-lrc')) {
        const bad = frame.slice();
        bad[bad.length - 1] = bad[bad.length - 1]! ^ 0x5a;
        this.write(bad);
      } else {
        this.write(frame);
      }
    };
    if (em.fault('late')) {
      this.lateTimer = setTimeout(() => { this.lateTimer = null; sendNow(); }, em.lateMs);
    } else {
      sendNow();
    }
  }
}

export class ShtrihEmulator {
  device: ShtrihDevice;
  powered = true;
  readonly faults: FaultSpec;
  /** Where the emulator listens: the serial path or host:port. */
  address = '';
  private readonly random: () => number;
  private readonly armed = new Map<OneShotFault, number>();
  private readonly firedOnce = new Set<OneShotFault>();
  private readonly sessions = new Set<Session>();
  private server: Server | null = null;
  private serial: ByteTransport | null = null;
  private paperTimer: NodeJS.Timeout | null = null;
  lateMs: number;
  /** Set when the emulator paces its line (options.pace). */
  readonly pacing: { baudRate: number } | null;
  /** The cash drawers on the register's drawer port (28h opens them; bit 11 of the status flags shows them). */
  readonly drawers: EmulatedDrawers;

  private constructor(private readonly options: EmulatorOptions) {
    this.pacing = options.pace ? { baudRate: options.baudRate ?? 115_200 } : null;
    this.drawers = new EmulatedDrawers(options.drawerCloseMs ?? null, options.onDrawer);
    this.faults = options.faults ?? NO_FAULTS;
    this.lateMs = this.faults.lateMs;
    this.random = seededRandom(options.seed ?? 1);
    this.device = this.loadDevice();
  }

  static async start(options: EmulatorOptions): Promise<ShtrihEmulator> {
    const em = new ShtrihEmulator(options);
    if (options.serialPath) {
      em.serial = await openSerial({ path: options.serialPath, baudRate: options.baudRate ?? 115_200 });
      em.sessions.add(new Session(em, em.serial));
      em.address = options.serialPath;
    } else if (options.tcp) {
      const server = createServer((socket: Socket) => {
        const session = new Session(em, socketTransport(socket));
        em.sessions.add(session);
        socket.on('close', () => { session.dispose(); em.sessions.delete(session); });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.tcp!.port, options.tcp!.host, () => resolve());
      });
      const addr = server.address();
      em.address = typeof addr === 'object' && addr ? `${options.tcp.host}:${addr.port}` : '';
      em.server = server;
    } else {
      throw new Error('ShtrihEmulator: give serialPath or tcp');
    }
    return em;
  }

  get port(): number { return Number(this.address.split(':').at(-1)); }

  /** Makes the next occurrence of a fault certain (tests). For 'late', `lateMs` sets the delay. */
  arm(kind: OneShotFault, lateMs?: number): void {
    this.armed.set(kind, (this.armed.get(kind) ?? 0) + 1);
    if (lateMs !== undefined) this.lateMs = lateMs;
  }

  /** Whether a per-frame fault happens now (armed one-shot or by probability). */
  fault(kind: 'drop-ack' | 'drop-frame' | 'bad-lrc' | 'late'): boolean {
    if (this.consumeArmed(kind)) return true;
    const p = { 'drop-ack': this.faults.dropAck, 'drop-frame': this.faults.dropFrame, 'bad-lrc': this.faults.badLrc, late: this.faults.late }[kind];
    return p > 0 && this.random() < p;
  }

  /** Whether a command-bound fault fires for this command. */
  triggered(kind: 'power-cut' | 'paper-out', code: number): boolean {
    const t: CommandTrigger | null = kind === 'power-cut' ? this.faults.powerCutAfter : this.faults.paperOutAfter;
    const armedCodes = [0xff45, 0x85, 0xff4a];
    if (this.armed.get(kind) && (t ? t.codes.includes(code) : armedCodes.includes(code))) return this.consumeArmed(kind);
    if (!t || !t.codes.includes(code)) return false;
    if (t.probability !== null) return this.random() < t.probability;
    if (this.firedOnce.has(kind)) return false;
    this.firedOnce.add(kind);
    return true;
  }

  /** The power goes: nothing more is answered until restart(). The state file already holds the document. */
  cutPower(): void {
    this.powered = false;
    for (const s of this.sessions) s.reset();
    this.options.onPowerCut?.();
  }

  /** Power back on: memory is gone, the state file is what the register remembers. */
  restart(): void {
    this.device = this.loadDevice();
    for (const s of this.sessions) s.reset();
    this.powered = true;
  }

  /** The modelled OFD link: acknowledge documents after ackMs, or null = offline (kept across restart()). */
  setOfd(ackMs: number | null): void {
    this.options.ofdAckMs = ackMs;
    this.device.setOfd(ackMs);
  }

  /** The cashier pushes a drawer shut (both when none is named). */
  closeDrawer(drawer?: 0 | 1): void {
    this.drawers.close(drawer);
  }

  loadPaper(): void {
    if (this.paperTimer) clearTimeout(this.paperTimer);
    this.paperTimer = null;
    this.device.loadPaper();
  }

  schedulePaperReload(): void {
    const ms = this.options.paperReloadMs;
    if (ms === null || ms === undefined) return;
    if (this.paperTimer) clearTimeout(this.paperTimer);
    this.paperTimer = setTimeout(() => { this.paperTimer = null; this.device.loadPaper(); }, ms);
  }

  async close(): Promise<void> {
    if (this.paperTimer) clearTimeout(this.paperTimer);
    this.drawers.dispose();
    for (const s of this.sessions) s.dispose();
    const closing: Promise<unknown>[] = [];
    for (const s of this.sessions) closing.push(s.close());
    this.sessions.clear();
    if (this.serial) closing.push(this.serial.close());
    if (this.server) closing.push(new Promise((r) => this.server!.close(() => r(undefined))));
    await Promise.all(closing);
  }

  private consumeArmed(kind: OneShotFault): boolean {
    const n = this.armed.get(kind) ?? 0;
    if (n <= 0) return false;
    if (n === 1) this.armed.delete(kind); else this.armed.set(kind, n - 1);
    return true;
  }

  private loadDevice(): ShtrihDevice {
    const file = this.options.stateFile ?? null;
    const state = this.options.initialState && !(file && existsSync(file)) ? structuredClone(this.options.initialState) : loadState(file);
    const device = new ShtrihDevice(state, { stateFile: file, drawers: this.drawers, ...(this.options.now ? { now: this.options.now } : {}),
      ...(this.options.ofdAckMs !== undefined ? { ofdAckMs: this.options.ofdAckMs } : {}) });
    device.save();
    return device;
  }
}


// A ZVT payment terminal (PT) on a serial port (the device end of a pty pair) or on TCP, speaking the
// same bytes as a real one (ZVT 13.x; reference §3), with fault injection (faults.ts). The bookkeeping is
// ZvtPt (emulator-pt.ts); this file is the PT's side of the dialog: acknowledge the command, send
// intermediate status, status information and print lines, each after the ECR's 80 00 00 to the
// previous one, and end with 06 0F or 06 1E. For tests and the demo; never shipped as a device.
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteTransport } from '../../transport/byte-transport';
import { openSerial } from '../../transport/serial';
import { socketTransport } from '../../transport/tcp';
import { BMP, ascii, bmp, decodeBmps } from './bmp';
import { type Apdu } from './codec';
import {
  CONFIG, abortFromPt, commandKey, completion, intermediateStatus, isNegativeAck, isPositiveAck, negativeAck, positiveAck,
  printLine, printTextBlock, readPasswordCommand, readRegistration, statusCompletion, statusInformation,
} from './commands';
import type { JournalEntry, JournalKind, ZvtEmulatorState } from './emulator-state';
import { EMULATOR_CURRENCY, ZvtPt } from './emulator-pt';
import { NO_FAULTS, seededRandom, type OneShotFault, type ZvtFaultSpec } from './faults';
import { INTERMEDIATE } from './intermediate-status';
import { LinkClosed, ReadTimeout, ZvtLink } from './link';
import { RESULT_CODE } from './result-codes';

export interface ZvtEmulatorOptions {
  /** Serial device to open (the device end of a pty pair). */
  serialPath?: string;
  /** Listen on TCP instead (port 0 picks a free port). */
  tcp?: { host: string; port: number };
  stateFile?: string | null;
  faults?: ZvtFaultSpec;
  /** The PT's password (the ECR sends it in 06 00 and admin commands). */
  password?: string;
  /** Pause between the steps of an operation (card, PIN, host). */
  stepDelayMs?: number;
  /** How long the PT waits for the ECR's 80 00 00 to each message before it gives up the operation. */
  ackTimeoutMs?: number;
  now?: () => Date;
  /** Optional initial state (tests); ignored when the state file exists. */
  initialState?: ZvtEmulatorState;
}

/** Ends an operation's dialog early: the ECR stopped answering, or a fault says so. */
class Stop extends Error {}

const SOFTWARE_VERSION = 'PRILAVOK-EMU 1.0';

class Session {
  readonly link: ZvtLink;
  private registered = false;
  private configByte = 0;
  private op: { abort: boolean } | null = null;
  private ackWaiter: ((ok: boolean) => void) | null = null;
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly em: ZvtEmulator, readonly transport: ByteTransport) {
    this.link = new ZvtLink(transport, {
      faults: { refuseFrame: () => em.fault('nak'), corruptFrame: () => em.fault('bad-crc') },
    });
    void this.pump();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.link.close().catch(() => undefined);
  }

  private async pump(): Promise<void> {
    while (!this.stopped) {
      let a: Apdu;
      try {
        a = await this.link.read(3_600_000);
      } catch (error) {
        if (error instanceof LinkClosed) return;
        if (error instanceof ReadTimeout) continue;
        continue; // garbage from the ECR: a real PT ignores what it cannot read
      }
      this.onApdu(a);
    }
  }

  private reply(a: Apdu): void {
    this.link.send(a).catch(() => undefined);
  }

  private onApdu(a: Apdu): void {
    if (isPositiveAck(a) || isNegativeAck(a)) {
      const w = this.ackWaiter;
      this.ackWaiter = null;
      w?.(isPositiveAck(a));
      return;
    }
    const key = commandKey(a);
    if (key === 'abort') {
      if (this.op) { this.op.abort = true; this.reply(positiveAck()); } else this.reply(negativeAck(RESULT_CODE.functionNotPossible));
      return;
    }
    if (this.em.busyWith && this.em.busyWith !== this) {
      this.reply(negativeAck(RESULT_CODE.busy));
      return;
    }
    // A command can arrive in the same chunk as the 80 00 00 that ends the previous dialog: it waits
    // for that dialog to wind down instead of being refused.
    this.queue = this.queue.then(() => this.runOperation(a));
  }

  private async runOperation(a: Apdu): Promise<void> {
    const op = { abort: false };
    this.op = op;
    this.em.busyWith = this;
    try {
      await this.handle(a);
    } catch {
      // Stop: the ECR went away or a fault ended the dialog.
    } finally {
      this.op = null;
      if (this.em.busyWith === this) this.em.busyWith = null;
    }
  }

  /** Sends one PT message and waits for the ECR's 80 00 00. */
  private async say(a: Apdu): Promise<void> {
    const acked = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => { this.ackWaiter = null; resolve(false); }, this.em.ackTimeoutMs);
      this.ackWaiter = (ok) => { clearTimeout(timer); resolve(ok); };
    });
    try {
      await this.link.send(a);
    } catch {
      this.ackWaiter = null;
      throw new Stop();
    }
    if (!(await acked)) throw new Stop();
  }

  private async step(code: number): Promise<void> {
    await this.say(intermediateStatus(code));
    await delay(this.em.stepDelayMs);
  }

  private async handle(a: Apdu): Promise<void> {
    const key = commandKey(a);
    switch (key) {
      case 'registration': return this.registration(a);
      case 'statusEnquiry':
        this.reply(positiveAck());
        return this.say(statusCompletion(SOFTWARE_VERSION, 0));
      case 'authorisation': case 'refund': case 'reversal':
        if (!this.registered) { this.reply(negativeAck(RESULT_CODE.notRegistered)); return; }
        return this.cardOperation(a, key === 'authorisation' ? 'purchase' : key);
      case 'repeatReceipt': {
        this.reply(positiveAck());
        const last = this.em.pt.lastEntry();
        if (!last) return this.say(abortFromPt(RESULT_CODE.functionNotPossible));
        await this.say(statusInformation(this.em.pt.statusFields(last)));
        await this.print(this.em.pt.receiptLines(last), CONFIG.ecrPrintsPayment);
        return this.say(completion());
      }
      case 'endOfDay': {
        if (!this.registered) { this.reply(negativeAck(RESULT_CODE.notRegistered)); return; }
        this.reply(positiveAck());
        await this.step(INTERMEDIATE.waitForHost);
        const { batch, netKopecks } = this.em.pt.endOfDay();
        await this.say(statusInformation([bmp.resultCode(0), bmp.amount(Math.abs(netKopecks)), bmp.terminalId(this.em.pt.state.terminalId)]));
        await this.print(this.em.pt.endOfDayLines(batch, netKopecks), CONFIG.ecrPrintsAdmin);
        return this.say(completion());
      }
      default:
        this.reply(negativeAck(RESULT_CODE.functionNotPossible));
    }
  }

  private async registration(a: Apdu): Promise<void> {
    let r;
    try { r = readRegistration(a); } catch { this.reply(negativeAck(RESULT_CODE.functionNotPossible)); return; }
    // UNCONFIRMED which code a real PT gives for a wrong password; 84 83 here.
    if (r.password !== this.em.password.padStart(6, '0')) { this.reply(negativeAck(RESULT_CODE.functionNotPossible)); return; }
    if (r.currency !== null && r.currency !== EMULATOR_CURRENCY) { this.reply(negativeAck(RESULT_CODE.wrongCurrency)); return; }
    this.registered = true;
    this.configByte = r.configByte;
    this.reply(positiveAck());
    await this.say(completion([bmp.terminalId(this.em.pt.state.terminalId), bmp.currency(EMULATOR_CURRENCY)]));
  }

  private async cardOperation(a: Apdu, kind: JournalKind): Promise<void> {
    const pt = this.em.pt;
    let amount = 0;
    let currency = EMULATOR_CURRENCY;
    let target: JournalEntry | null = null;
    let code = 0;
    try {
      const bmps = kind === 'purchase' ? decodeBmps(a.data) : readPasswordCommand(a).bmps;
      currency = bmps.bcdNumber(BMP.currency) ?? EMULATOR_CURRENCY;
      if (kind === 'reversal') {
        const receipt = bmps.bcdNumber(BMP.receipt);
        const found = receipt === null ? { code: RESULT_CODE.reversalNotPossible } : pt.reversalTarget(receipt);
        if ('entry' in found) { target = found.entry; amount = found.entry.amountKopecks; } else code = found.code;
      } else {
        const a4 = bmps.bcdNumber(BMP.amount);
        if (a4 === null) { this.reply(negativeAck(RESULT_CODE.functionNotPossible)); return; }
        amount = a4;
      }
    } catch {
      this.reply(negativeAck(RESULT_CODE.functionNotPossible));
      return;
    }
    const fault = this.em.takeCardFault(kind);
    if (fault?.kind === 'timeout') return;
    this.reply(positiveAck());

    const op = this.op!;
    const steps = kind === 'reversal' ? [INTERMEDIATE.pleaseWait] : [INTERMEDIATE.insertCard, INTERMEDIATE.watchPinPad];
    for (const s of steps) {
      await this.step(s);
      if (op.abort) {
        const entry = pt.record(kind, amount, currency, RESULT_CODE.aborted);
        await this.say(statusInformation(pt.statusFields(entry)));
        return this.say(abortFromPt(RESULT_CODE.aborted));
      }
    }
    await this.step(INTERMEDIATE.waitForHost);
    if (code === 0) code = pt.decide(kind, amount, currency);
    if (fault?.kind === 'decline') code = fault.code ?? RESULT_CODE.declined;
    const entry = pt.record(kind, amount, currency, code, target ?? undefined);
    if (fault?.kind === 'hang') return;
    await this.say(statusInformation(pt.statusFields(entry)));
    await this.print(pt.receiptLines(entry), CONFIG.ecrPrintsPayment);
    if (fault?.kind === 'drop-after-approve') {
      // The approval is in the journal and the slip went out; the completion never will.
      if (this.transport.kind === 'tcp') await this.close();
      return;
    }
    await this.say(code === 0 ? completion() : abortFromPt(code));
  }

  /** Print lines go to the ECR only when it registered to print that kind of receipt. */
  private async print(lines: string[], kindBit: number): Promise<void> {
    if (!(this.configByte & kindBit)) return;
    if (this.configByte & CONFIG.textBlocks) {
      await this.say(printTextBlock(lines.map(ascii)));
      return;
    }
    for (const [i, line] of lines.entries()) await this.say(printLine(i === lines.length - 1 ? 0x80 : 0x00, ascii(line)));
  }
}

export class ZvtEmulator {
  pt: ZvtPt;
  /** Where the emulator listens: the serial path or host:port. */
  address = '';
  busyWith: Session | null = null;
  readonly password: string;
  readonly stepDelayMs: number;
  readonly ackTimeoutMs: number;
  private faults: ZvtFaultSpec;
  private oneShots: ZvtFaultSpec['oneShots'];
  private random: () => number;
  private readonly sessions = new Set<Session>();
  private server: Server | null = null;
  private serial: ByteTransport | null = null;

  private constructor(private readonly options: ZvtEmulatorOptions) {
    this.faults = options.faults ?? NO_FAULTS;
    this.oneShots = [...this.faults.oneShots];
    this.random = seededRandom(this.faults.seed);
    this.password = options.password ?? '000000';
    this.stepDelayMs = options.stepDelayMs ?? 50;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.pt = new ZvtPt(options.stateFile ?? null, options.now, options.initialState);
  }

  static async start(options: ZvtEmulatorOptions): Promise<ZvtEmulator> {
    const em = new ZvtEmulator(options);
    if (options.serialPath) {
      em.serial = await openSerial({ path: options.serialPath, baudRate: 9_600 });
      em.sessions.add(new Session(em, em.serial));
      em.address = options.serialPath;
    } else if (options.tcp) {
      const server = createServer((socket: Socket) => {
        const session = new Session(em, socketTransport(socket));
        em.sessions.add(session);
        socket.on('close', () => {
          em.sessions.delete(session);
          if (em.busyWith === session) em.busyWith = null;
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.tcp!.port, options.tcp!.host, () => resolve());
      });
      const addr = server.address();
      em.address = typeof addr === 'object' && addr ? `${options.tcp.host}:${addr.port}` : '';
      em.server = server;
    } else {
      throw new Error('ZvtEmulator: give serialPath or tcp');
    }
    return em;
  }

  get port(): number { return Number(this.address.split(':').at(-1)); }

  /** Arms a one-shot fault (tests). `code` is the result code of a 'decline'. */
  arm(kind: OneShotFault, code?: number): void {
    this.oneShots.push(code === undefined ? { kind } : { kind, code });
  }

  /** Replaces the fault spec (and clears armed faults). */
  setFaults(spec: ZvtFaultSpec): void {
    this.faults = spec;
    this.oneShots = [...spec.oneShots];
    this.random = seededRandom(spec.seed);
  }

  /** Per-frame faults: an armed one-shot, or by probability. */
  fault(kind: 'nak' | 'bad-crc'): boolean {
    const i = this.oneShots.findIndex((f) => f.kind === kind);
    if (i >= 0) { this.oneShots.splice(i, 1); return true; }
    const p = kind === 'nak' ? this.faults.nakProbability : this.faults.badCrcProbability;
    return p > 0 && this.random() < p;
  }

  /** The next card-operation fault, consumed. `kind` is the command's, for tests that fault only some kinds. */
  takeCardFault(_kind?: JournalKind): { kind: OneShotFault; code?: number } | null {
    const i = this.oneShots.findIndex((f) => f.kind !== 'nak' && f.kind !== 'bad-crc');
    return i >= 0 ? this.oneShots.splice(i, 1)[0]! : null;
  }

  /** Restart: the memory is gone, the state file is what the PT remembers. */
  restart(): void {
    this.pt = new ZvtPt(this.options.stateFile ?? null, this.options.now, this.options.initialState);
  }

  async close(): Promise<void> {
    const closing: Promise<unknown>[] = [];
    for (const s of this.sessions) closing.push(s.close());
    this.sessions.clear();
    if (this.server) closing.push(new Promise((r) => this.server!.close(() => r(undefined))));
    await Promise.all(closing);
  }
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

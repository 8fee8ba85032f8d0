// ZvtTerminal: the PaymentTerminal over ZVT (ZVT 13.x; reference §3). The ECR registers (06 00), then
// hands the PT "master rights" with a command; the PT answers 80 00 00, sends intermediate status
// (04 FF), status information (04 0F) and print lines (06 D1/D3), each answered by us with 80 00 00,
// and gives the rights back with Completion (06 0F) or Abort (06 1E <result>).
//
// THE RULE (payment-terminal.ts): once a card command may have reached the PT, run() resolves with an
// outcome; a lost link, a timeout or garbage there is {state:'unknown'}. TerminalError only when the
// command certainly did not start: no link before sending, a frame NAKed every time, 84 9C busy.
import iconv from 'iconv-lite';
import type { ByteTransport } from '../../transport/byte-transport';
import type {
  ApprovedOperation, CardOperationRequest, CardOutcome, LastOperationReport, PaymentTerminal, ProgressListener,
  SettlementResult, TerminalReadiness,
} from '../payment-terminal';
import { TerminalError } from '../payment-terminal';
import { BMP, type BmpList } from './bmp';
import { ZvtCodecError, commandName, hex, type Apdu } from './codec';
import {
  DEFAULT_CONFIG_BYTE, abortCommand, authorisation, endOfDay, is, isNegativeAck, isPositiveAck, positiveAck,
  readAbortFromPt, readIntermediateStatus, readPrintLine, readPrintTextBlock, readStatusCompletion, readStatusInformation,
  refund, registration, repeatReceipt, reversal, statusEnquiry,
} from './commands';
import { intermediateStatusText } from './intermediate-status';
import { FrameRefused, LinkClosed, NoAck, ReadTimeout, ZvtLink, ZvtProtocolError } from './link';
import { RESULT_CODE, bilingual, resultText, type CashierText } from './result-codes';

/** ecrterm's T1–T4 (reference §3), as options. */
export interface ZvtTimeouts {
  /** T1: gap between bytes of one frame. */
  byteMs: number;
  /** T2: the longest silence between two messages of a running operation (a 04 FF timeout may extend it). */
  messageMs: number;
  /** T3: wait for ACK of a frame and for the 80 00 00 / 84 xx answer to a command. */
  ackMs: number;
  /** T4: a whole operation, from the command to the completion. */
  operationMs: number;
}

export const DEFAULT_TIMEOUTS: ZvtTimeouts = { byteMs: 200, messageMs: 15_000, ackMs: 5_000, operationMs: 180_000 };

export interface ZvtTerminalOptions {
  /** The PT's password, up to 6 digits (the factory default is often 000000 or 123456). */
  password?: string;
  configByte?: number;
  /** ISO 4217 numeric; 643 = RUB. */
  currency?: number;
  /** Send the currency in the registration (some PTs refuse it). Default true. */
  registerCurrency?: boolean;
  timeouts?: Partial<ZvtTimeouts>;
  /** Print line text encoding (iconv name). ZVT prints in code page 437 unless agreed otherwise. UNCONFIRMED. */
  textEncoding?: string;
  /** Language of the messages we hand out. */
  language?: 'ru' | 'en' | 'both';
}

type Connector = () => Promise<ByteTransport>;

interface Dialog {
  end: 'completion' | 'abort';
  completion: Apdu | null;
  abortCode: number | null;
  status: BmpList | null;
  slip: string[];
}

/** How far a failed exchange got: the difference between TerminalError and 'unknown'. */
class NotStarted extends Error {
  constructor(message: string, readonly busy = false) {
    super(message);
    this.name = 'NotStarted';
  }
}

class Refused extends Error {
  constructor(readonly code: number) {
    super(`the terminal refused the command (84 ${hex(code)})`);
    this.name = 'Refused';
  }
}

export class ZvtTerminal implements PaymentTerminal {
  readonly protocol = 'zvt';
  private link: ZvtLink | null = null;
  private registered = false;
  private busy = false;
  private running: { link: ZvtLink; abortSent: boolean } | null = null;
  private readonly t: ZvtTimeouts;
  private readonly password: string;
  private readonly currency: number;
  /** What this process last started and last saw finish, to recognise our operation in a repeat receipt. */
  private lastStarted: { kind: CardOperationRequest['kind']; reference: string; amountKopecks: number } | null = null;
  private lastFinishedReceipt: string | null = null;

  private constructor(private readonly connector: Connector, private readonly o: ZvtTerminalOptions) {
    this.t = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
    this.password = o.password ?? '000000';
    this.currency = o.currency ?? 643;
  }

  /** Connects and registers; throws TerminalError('unavailable') when the PT cannot be reached. */
  static async connect(connector: Connector, options: ZvtTerminalOptions = {}): Promise<ZvtTerminal> {
    const terminal = new ZvtTerminal(connector, options);
    terminal.busy = true;
    try {
      await terminal.ensureLink();
    } finally {
      terminal.busy = false;
    }
    return terminal;
  }

  async readiness(): Promise<TerminalReadiness> {
    if (this.busy) return { ready: false, message: this.say({ ru: 'Терминал занят операцией', en: 'Terminal is busy with an operation' }) };
    this.busy = true;
    try {
      const link = await this.ensureLink();
      const first = await this.start(link, statusEnquiry(this.password));
      const d = await this.dialog(link, undefined, this.t.messageMs, first);
      const status = d.completion ? readStatusCompletion(d.completion).terminalStatus : d.abortCode;
      if (status === null || status === 0) return { ready: true, message: this.say({ ru: 'Терминал готов', en: 'Terminal ready' }) };
      return { ready: false, message: this.say(resultText(status)) };
    } catch (error) {
      await this.dropLink();
      return { ready: false, message: this.say(unavailableText(error)) };
    } finally {
      this.busy = false;
    }
  }

  async run(request: CardOperationRequest, onProgress?: ProgressListener): Promise<CardOutcome> {
    if (this.busy) throw new TerminalError('busy', this.say(resultText(RESULT_CODE.busy)));
    const command = this.command(request);
    this.busy = true;
    try {
      const link = await this.ensureLink();
      this.lastStarted = { kind: request.kind, reference: request.reference, amountKopecks: request.amountKopecks };
      this.running = { link, abortSent: false };
      try {
        const first = await this.start(link, command);
        const d = await this.dialog(link, onProgress, this.t.operationMs, first);
        return this.outcome(d, request);
      } catch (error) {
        if (error instanceof NotStarted) {
          await this.dropLink();
          throw new TerminalError(error.busy ? 'busy' : 'unavailable', error.message, { command: commandName(command) });
        }
        if (error instanceof Refused) return this.refused(error.code);
        await this.dropLink();
        return { state: 'unknown', reason: reasonOf(error) };
      }
    } finally {
      this.running = null;
      this.busy = false;
    }
  }

  /** Repeat receipt (06 20): the PT sends its last transaction again as status information and print lines. */
  async lastOperation(): Promise<LastOperationReport | null> {
    if (this.busy) throw new TerminalError('busy', this.say(resultText(RESULT_CODE.busy)));
    this.busy = true;
    try {
      const link = await this.ensureLink();
      let d: Dialog;
      try {
        const first = await this.start(link, repeatReceipt(this.password));
        d = await this.dialog(link, undefined, this.t.operationMs, first);
      } catch (error) {
        if (error instanceof Refused) return null;
        await this.dropLink();
        throw new TerminalError('unavailable', this.say(unavailableText(error)), { reason: reasonOf(error) });
      }
      if (d.end === 'abort' || !d.status) return null;
      return this.report(d);
    } finally {
      this.busy = false;
    }
  }

  async settlement(): Promise<SettlementResult> {
    if (this.busy) throw new TerminalError('busy', this.say(resultText(RESULT_CODE.busy)));
    this.busy = true;
    try {
      const link = await this.ensureLink();
      try {
        const first = await this.start(link, endOfDay(this.password));
        const d = await this.dialog(link, undefined, this.t.operationMs, first);
        const code = d.end === 'abort' ? d.abortCode ?? RESULT_CODE.systemError : d.status?.byte(BMP.resultCode) ?? 0;
        if (code === 0) return { ok: true, slip: d.slip, message: this.say({ ru: 'Сверка итогов выполнена', en: 'End of day done' }) };
        return { ok: false, slip: d.slip, message: this.say(resultText(code)) };
      } catch (error) {
        if (error instanceof Refused) return { ok: false, slip: [], message: this.say(resultText(error.code)) };
        await this.dropLink();
        throw new TerminalError('unavailable', this.say(unavailableText(error)), { reason: reasonOf(error) });
      }
    } finally {
      this.busy = false;
    }
  }

  /** 06 B0 while an operation runs; the PT ends it with 06 1E 6C, which run() reports as declined. */
  async abort(): Promise<void> {
    const r = this.running;
    if (!r || r.abortSent) return;
    r.abortSent = true;
    await r.link.send(abortCommand()).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.dropLink();
  }

  // ---- the exchange -------------------------------------------------------------------------------

  private async ensureLink(): Promise<ZvtLink> {
    if (this.link && !this.link.closed && this.registered) return this.link;
    if (!this.link || this.link.closed) {
      await this.dropLink();
      let transport: ByteTransport;
      try {
        transport = await this.connector();
      } catch (error) {
        throw new TerminalError('unavailable', this.say(unavailableText(error)), { reason: (error as Error).message });
      }
      this.link = new ZvtLink(transport, { byteTimeoutMs: this.t.byteMs, ackTimeoutMs: this.t.ackMs });
    }
    const link = this.link;
    try {
      const first = await this.start(link, registration({
        password: this.password,
        configByte: this.o.configByte ?? DEFAULT_CONFIG_BYTE,
        currency: this.o.registerCurrency === false ? null : this.currency,
      }));
      const d = await this.dialog(link, undefined, this.t.messageMs, first);
      if (d.end === 'abort') throw new Refused(d.abortCode ?? RESULT_CODE.systemError);
    } catch (error) {
      await this.dropLink();
      if (error instanceof Refused) throw new TerminalError('config', this.say(registrationText(error.code)), { code: error.code });
      throw new TerminalError('unavailable', this.say(unavailableText(error)), { reason: reasonOf(error) });
    }
    this.registered = true;
    return link;
  }

  private async dropLink(): Promise<void> {
    const link = this.link;
    this.link = null;
    this.registered = false;
    if (link) await link.close().catch(() => undefined);
  }

  /**
   * Sends a command and reads the PT's first answer. NotStarted: the PT certainly did not take it.
   * Refused: 84 xx. Returns the first message after 80 00 00 when the PT skipped the acknowledgement.
   */
  private async start(link: ZvtLink, command: Apdu): Promise<Apdu | null> {
    link.drain();
    try {
      await link.send(command);
    } catch (error) {
      if (error instanceof NoAck) throw error; // it may have arrived: unknown
      throw new NotStarted(`${commandName(command)} not sent: ${(error as Error).message}`);
    }
    const answer = await link.read(this.t.ackMs);
    if (isPositiveAck(answer)) return null;
    if (isNegativeAck(answer)) {
      if (answer.instr === RESULT_CODE.busy || answer.instr === RESULT_CODE.notReady) throw new NotStarted(this.say(resultText(answer.instr)), true);
      if (answer.instr === RESULT_CODE.notRegistered) this.registered = false;
      throw new Refused(answer.instr);
    }
    return answer;
  }

  /** Reads the PT's messages until it gives the master rights back. Throws on timeout, lost link, garbage. */
  private async dialog(link: ZvtLink, onProgress: ProgressListener | undefined, overallMs: number, first: Apdu | null = null): Promise<Dialog> {
    const deadline = Date.now() + overallMs;
    let gapMs = this.t.messageMs;
    const d: Dialog = { end: 'completion', completion: null, abortCode: null, status: null, slip: [] };
    let next: Apdu | null = first;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadTimeout(overallMs);
      const a = next ?? await link.read(Math.min(gapMs, left));
      next = null;
      gapMs = this.t.messageMs;
      if (isPositiveAck(a) || isNegativeAck(a)) continue; // the answer to our 06 B0
      try {
        if (is(a, 'intermediateStatus')) {
          const s = readIntermediateStatus(a);
          if (s.timeoutSeconds) gapMs = Math.max(gapMs, s.timeoutSeconds * 1000 + this.t.ackMs);
          await link.send(positiveAck());
          onProgress?.(this.say(intermediateStatusText(s.code)));
          continue;
        }
        if (is(a, 'statusInformation')) {
          d.status = readStatusInformation(a);
          await link.send(positiveAck());
          continue;
        }
        if (is(a, 'printLine')) {
          d.slip.push(this.text(readPrintLine(a).text));
          await link.send(positiveAck());
          continue;
        }
        if (is(a, 'printTextBlock')) {
          for (const line of readPrintTextBlock(a)) d.slip.push(this.text(line));
          await link.send(positiveAck());
          continue;
        }
      } catch (error) {
        if (error instanceof ZvtCodecError) throw new ZvtProtocolError('codec', `${commandName(a)}: ${error.message}`);
        throw error;
      }
      if (is(a, 'completion')) {
        await link.send(positiveAck()).catch(() => undefined);
        d.completion = a;
        return d;
      }
      if (is(a, 'abortFromPt')) {
        await link.send(positiveAck()).catch(() => undefined);
        d.end = 'abort';
        d.abortCode = readAbortFromPt(a) ?? d.status?.byte(BMP.resultCode) ?? RESULT_CODE.systemError;
        return d;
      }
      // Display texts and other PT → ECR requests we do not act on: acknowledge and go on.
      await link.send(positiveAck());
    }
  }

  // ---- mapping ------------------------------------------------------------------------------------

  private command(r: CardOperationRequest): Apdu {
    if (!Number.isSafeInteger(r.amountKopecks) || r.amountKopecks <= 0 || r.amountKopecks > 999_999_999_999) {
      throw new TerminalError('config', this.say({ ru: 'Неверная сумма операции', en: 'Invalid amount' }), { amountKopecks: r.amountKopecks });
    }
    const currency = r.currency ?? this.currency;
    switch (r.kind) {
      case 'purchase': return authorisation(r.amountKopecks, currency);
      case 'refund': return refund(this.password, r.amountKopecks, currency);
      case 'cancel': {
        const receipt = r.original?.receiptNumber;
        if (!receipt || !/^\d{1,4}$/.test(receipt)) {
          throw new TerminalError('config', this.say({
            ru: 'Для отмены нужен номер чека терминала исходной операции', en: 'A cancel needs the terminal receipt number of the original operation',
          }));
        }
        return reversal(this.password, receipt);
      }
    }
  }

  private outcome(d: Dialog, request: CardOperationRequest): CardOutcome {
    const code = d.end === 'abort' ? d.abortCode! : d.status?.byte(BMP.resultCode) ?? 0;
    if (code !== 0) return { state: 'declined', code: hex(code), message: this.say(resultText(code)), slip: d.slip };
    const op = approvedFrom(d.status, request.amountKopecks);
    this.lastFinishedReceipt = op.receiptNumber;
    return { state: 'approved', slip: d.slip, ...op };
  }

  private refused(code: number): CardOutcome {
    return { state: 'declined', code: hex(code), message: this.say(resultText(code)), slip: [] };
  }

  private report(d: Dialog): LastOperationReport {
    const status = d.status!;
    const code = status.byte(BMP.resultCode) ?? 0;
    const amount = status.bcdNumber(BMP.amount);
    const outcome: CardOutcome = code === 0
      ? { state: 'approved', slip: d.slip, ...approvedFrom(status, amount ?? 0) }
      : { state: 'declined', code: hex(code), message: this.say(resultText(code)), slip: d.slip };
    // ZVT echoes no ECR reference. It is ours when it is newer than what we last saw finish and the
    // amount is the one we sent; otherwise we do not claim it.
    const receipt = status.bcd(BMP.receipt);
    const ours = this.lastStarted && amount === this.lastStarted.amountKopecks
      && (receipt === null || receipt !== this.lastFinishedReceipt) ? this.lastStarted : null;
    // The PT's last operation is finished, whichever it was: a later repeat receipt with the same number
    // is no newer operation. Without this, an operation found out here (its completion lost) was claimed
    // again for the next one of the same amount that never reached the PT (a purchase's reversal, say).
    if (receipt !== null) this.lastFinishedReceipt = receipt;
    return { reference: ours?.reference ?? null, kind: ours?.kind ?? null, amountKopecks: amount, outcome };
  }

  private text(bytes: Uint8Array): string {
    return iconv.decode(Buffer.from(bytes), this.o.textEncoding ?? 'cp437').trimEnd();
  }

  private say(t: CashierText): string {
    const lang = this.o.language ?? 'ru';
    return lang === 'both' ? bilingual(t) : t[lang];
  }
}

function approvedFrom(status: BmpList | null, fallbackAmount: number): ApprovedOperation {
  const pan = status?.pan() ?? null;
  const cardName = status?.ascii(BMP.cardName) ?? null;
  const cardTypeByte = status?.byte(BMP.cardType) ?? null;
  return {
    amountKopecks: status?.bcdNumber(BMP.amount) ?? fallbackAmount,
    // ZVT's basic BMPs carry no RRN; the trace number (0B) is the PT's own sequence. UNCONFIRMED where
    // acquirers put an RRN (a TLV tag in newer PTs).
    rrn: null,
    authCode: status?.ascii(BMP.aid) || null,
    receiptNumber: status?.bcd(BMP.receipt) ?? null,
    terminalId: status?.bcd(BMP.terminalId) ?? null,
    cardMasked: pan ? `**** ${pan.slice(-4)}` : null,
    cardType: cardName || (cardTypeByte !== null ? String(cardTypeByte) : null),
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof ReadTimeout) return `no answer from the terminal within ${error.timeoutMs} ms`;
  if (error instanceof LinkClosed) return 'the link to the terminal was lost';
  if (error instanceof NoAck) return `${error.command}: the terminal did not acknowledge the frame`;
  if (error instanceof ZvtProtocolError) return `protocol error: ${error.message}`;
  if (error instanceof FrameRefused) return error.message;
  return (error as Error).message ?? String(error);
}

function unavailableText(error: unknown): CashierText {
  const why = reasonOf(error);
  return { ru: `Нет связи с терминалом (${why})`, en: `No link to the terminal (${why})` };
}

function registrationText(code: number): CashierText {
  const t = resultText(code);
  return { ru: `Терминал отказал в регистрации кассы: ${t.ru}. Проверьте пароль`, en: `The terminal refused the registration: ${t.en}. Check the password` };
}

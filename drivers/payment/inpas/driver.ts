// INPAS DualConnector over its "SA" XML-over-HTTP protocol (peripherals reference §3; every protocol
// detail we could not confirm is in sa-fields.ts). One operation at a time per driver. A card request
// that may have reached DualConnector never ends in an exception: no answer, a cut answer or an
// unreadable one is 'unknown', and lastOperation() asks the status of the last operation (op 63,
// UNCONFIRMED).
import {
  TerminalError, type CardOperationRequest, type CardOutcome, type LastOperationReport, type PaymentTerminal,
  type SettlementResult, type TerminalReadiness,
} from '../payment-terminal';
import { decodeSaBody } from './body-encoding';
import { postXml } from './http-link';
import {
  SA_CURRENCY_RUB, SA_DEFAULT_TIMEOUT_MS, SA_ENDPOINT_PATH, SA_FIELD, SA_OPERATION, SA_REQUEST_ROOT, SA_RESPONSE_ROOT,
  SA_SETTLEMENT_TIMEOUT_MS, SA_SUCCESS, cleanSlip, saTimestamp,
} from './sa-fields';
import { cardKindOf, cardOutcomeOf, operationCode, responseMessage } from './sa-response';
import { buildSaDocument, parseSaDocument, SaXmlError, type SaDocument } from './sa-xml';

export interface InpasTerminalOptions {
  /** DualConnector's address. Default http://localhost:9015. */
  url?: string;
  /** Field 27, when the DualConnector profile serves several terminals. */
  terminalId?: string | null;
  /** ISO 4217 numeric, field 04. Default 643. */
  currency?: number;
  /** Card operations (the customer's time included). Default 120 s. */
  operationTimeoutMs?: number;
  /** Settlement. Default 600 s. */
  settlementTimeoutMs?: number;
  /** Readiness and status enquiry. Default 30 s. */
  serviceTimeoutMs?: number;
  /** How much longer than the <timeout> given to DualConnector we wait for its HTTP answer. Default 10 s. */
  httpMarginMs?: number;
  now?: () => Date;
}

type Exchange =
  | { kind: 'not-reached'; reason: string }
  | { kind: 'no-answer'; reason: string }
  | { kind: 'answer'; doc: SaDocument };

export class InpasTerminal implements PaymentTerminal {
  readonly protocol = 'inpas';
  private readonly url: URL;
  private readonly o: Required<Omit<InpasTerminalOptions, 'url' | 'terminalId'>> & { terminalId: string | null };
  private running = false;
  private closed = false;

  constructor(options: InpasTerminalOptions = {}) {
    this.url = new URL(SA_ENDPOINT_PATH, options.url ?? 'http://localhost:9015');
    this.o = {
      terminalId: options.terminalId ?? null,
      currency: options.currency ?? Number(SA_CURRENCY_RUB),
      operationTimeoutMs: options.operationTimeoutMs ?? SA_DEFAULT_TIMEOUT_MS,
      settlementTimeoutMs: options.settlementTimeoutMs ?? SA_SETTLEMENT_TIMEOUT_MS,
      serviceTimeoutMs: options.serviceTimeoutMs ?? 30_000,
      httpMarginMs: options.httpMarginMs ?? 10_000,
      now: options.now ?? (() => new Date()),
    };
  }

  async readiness(): Promise<TerminalReadiness> {
    return this.exclusive(async () => {
      const x = await this.exchange(SA_OPERATION.test, [], this.o.serviceTimeoutMs);
      if (x.kind !== 'answer') return { ready: false, message: x.reason };
      return { ready: x.doc.fields.get(SA_FIELD.result) === SA_SUCCESS, message: responseMessage(x.doc) };
    });
  }

  async run(request: CardOperationRequest): Promise<CardOutcome> {
    if (!Number.isSafeInteger(request.amountKopecks) || request.amountKopecks <= 0) {
      throw new TerminalError('config', `amount must be a positive number of kopecks, got ${request.amountKopecks}`);
    }
    const rrn = request.original?.rrn ?? null;
    if (request.kind !== 'purchase' && rrn === null) {
      throw new TerminalError('config', `a ${request.kind} needs the original operation's RRN (field 14)`);
    }
    return this.exclusive(async () => {
      const op = operationCode(request.kind);
      const fields: Array<[string, string]> = [
        [SA_FIELD.amountKopecks, String(request.amountKopecks)],
        [SA_FIELD.currency, String(request.currency ?? this.o.currency)],
        ...(rrn !== null ? [[SA_FIELD.rrn, rrn] as [string, string]] : []),
      ];
      const x = await this.exchange(op, fields, this.o.operationTimeoutMs);
      if (x.kind === 'not-reached') throw new TerminalError('unavailable', `DualConnector: ${x.reason}`, { url: this.url.href });
      if (x.kind === 'no-answer') return { state: 'unknown', reason: x.reason };
      return cardOutcomeOf(x.doc, op, request.amountKopecks);
    });
  }

  async lastOperation(): Promise<LastOperationReport | null> {
    return this.exclusive(async () => {
      const x = await this.exchange(SA_OPERATION.lastOperationStatus, [], this.o.serviceTimeoutMs);
      if (x.kind === 'not-reached') throw new TerminalError('unavailable', `DualConnector: ${x.reason}`);
      if (x.kind === 'no-answer') throw new TerminalError('protocol', `status enquiry: ${x.reason}`);
      const op = x.doc.fields.get(SA_FIELD.operation);
      const kind = cardKindOf(op);
      // No card operation to tell about (an empty journal answers with 25 = 63 itself).
      if (kind === null) return null;
      const amount = Number(x.doc.fields.get(SA_FIELD.amountKopecks));
      const amountKopecks = Number.isSafeInteger(amount) && amount > 0 ? amount : null;
      // The protocol carries no ECR reference we know of: the service matches by kind and amount.
      return { reference: null, kind, amountKopecks, outcome: cardOutcomeOf(x.doc, op!, amountKopecks ?? 0) };
    });
  }

  async settlement(): Promise<SettlementResult> {
    return this.exclusive(async () => {
      const x = await this.exchange(SA_OPERATION.settlement, [], this.o.settlementTimeoutMs);
      if (x.kind === 'not-reached') throw new TerminalError('unavailable', `DualConnector: ${x.reason}`);
      if (x.kind === 'no-answer') return { ok: false, slip: [], message: x.reason };
      return {
        ok: x.doc.fields.get(SA_FIELD.result) === SA_SUCCESS,
        slip: cleanSlip(x.doc.fields.get(SA_FIELD.slip) ?? ''),
        message: responseMessage(x.doc),
      };
    });
  }

  /** No abort request is known for the SA protocol (UNCONFIRMED): the cashier cancels on the terminal. */
  async abort(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  private async exchange(operation: string, fields: Array<[string, string]>, timeoutMs: number): Promise<Exchange> {
    const xml = buildSaDocument(SA_REQUEST_ROOT, [
      ...fields,
      [SA_FIELD.timestamp, saTimestamp(this.o.now())],
      [SA_FIELD.operation, operation],
      ...(this.o.terminalId !== null ? [[SA_FIELD.terminalId, this.o.terminalId] as [string, string]] : []),
    ], { timeoutMs });
    const r = await postXml(this.url, Buffer.from(xml, 'utf8'), 'text/xml; charset=UTF-8', timeoutMs + this.o.httpMarginMs);
    if (!r.reached) return { kind: 'not-reached', reason: r.reason };
    if (!r.answered) return { kind: 'no-answer', reason: r.reason };
    if (r.status < 200 || r.status >= 300) return { kind: 'no-answer', reason: `HTTP ${r.status} from DualConnector` };
    try {
      const { text } = decodeSaBody(r.body, r.contentType);
      return { kind: 'answer', doc: parseSaDocument(text, SA_RESPONSE_ROOT) };
    } catch (error) {
      if (!(error instanceof SaXmlError)) throw error;
      return { kind: 'no-answer', reason: `unreadable answer: ${error.message}` };
    }
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new TerminalError('unavailable', 'the terminal driver is closed');
    if (this.running) throw new TerminalError('busy', 'another terminal operation is running');
    this.running = true;
    try {
      return await work();
    } finally {
      this.running = false;
    }
  }
}

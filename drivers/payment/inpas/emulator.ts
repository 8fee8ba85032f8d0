// A DualConnector emulator on node:http, speaking the SA XML of sa-fields.ts, for tests and the demo
// (never shipped). It keeps a journal (refund and cancel find their original by RRN; settlement closes
// the batch; op 63 answers with the last card operation's own fields) and injects faults, one per
// card operation or settlement: a decline, no answer at all, approve-then-hang, approve-then-drop the
// connection, approve-then-answer-garbage. Answers go out in the configured encoding, declared in the
// XML, the Content-Type, both or neither.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeSaBody, encodeSaBody, xmlEncodingName, type SaEncoding } from './body-encoding';
import { maskPan, SA_FIELD, SA_OPERATION, SA_REQUEST_ROOT, SA_RESPONSE_ROOT, saTimestamp } from './sa-fields';
import { buildSaDocument, parseSaDocument, SaXmlError, type SaDocument } from './sa-xml';

export const INPAS_FAULTS = ['decline', 'timeout', 'hang-after-approve', 'drop-after-approve', 'garbage'] as const;
export type InpasFault = (typeof INPAS_FAULTS)[number];
export type EncodingDeclaration = 'xml' | 'header' | 'both' | 'none';

export interface InpasEmulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  encoding?: SaEncoding;
  declare?: EncodingDeclaration;
  terminalId?: string;
  /** Sale amounts (kopecks) the "bank" declines with insufficient funds. */
  declineAmounts?: number[];
}

export interface JournalEntry {
  n: number;
  operation: string;
  amountKopecks: number;
  approved: boolean;
  rrn: string | null;
  cancelled: boolean;
  refundedKopecks: number;
  settled: boolean;
  /** The response fields as sent (op 63 repeats them). */
  response: Array<[string, string]>;
}

const CARD_OPS: ReadonlySet<string> = new Set([SA_OPERATION.sale, SA_OPERATION.refund, SA_OPERATION.cancel]);
const rub = (k: number) => `${Math.floor(k / 100)}.${String(k % 100).padStart(2, '0')}`;

export class InpasEmulator {
  readonly journal: JournalEntry[] = [];
  /** Every request document received, in order (for tests to inspect what the driver sent). */
  readonly requests: SaDocument[] = [];
  encoding: SaEncoding;
  declare: EncodingDeclaration;
  private readonly faults: InpasFault[] = [];
  private readonly held = new Set<ServerResponse>();

  private constructor(private readonly server: Server, readonly url: string, private readonly o: InpasEmulatorOptions) {
    this.encoding = o.encoding ?? 'windows-1251';
    this.declare = o.declare ?? 'both';
  }

  static async start(o: InpasEmulatorOptions = {}): Promise<InpasEmulator> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
    });
    const a = server.address() as AddressInfo;
    const emulator = new InpasEmulator(server, `http://${a.address}:${a.port}/`, o);
    server.on('request', (req, res) => { void emulator.handle(req, res); });
    return emulator;
  }

  /** The next `count` card operations or settlements meet this fault. */
  inject(fault: InpasFault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let doc: SaDocument;
    try {
      doc = parseSaDocument(decodeSaBody(Buffer.concat(chunks), req.headers['content-type']).text, SA_REQUEST_ROOT);
    } catch (error) {
      if (!(error instanceof SaXmlError)) throw error;
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(error.message);
      return;
    }
    this.requests.push(doc);
    const op = doc.fields.get(SA_FIELD.operation) ?? '';
    const fault = CARD_OPS.has(op) || op === SA_OPERATION.settlement ? this.faults.shift() ?? null : null;
    if (fault === 'timeout') { this.hold(res); return; }
    const fields = this.perform(op, doc, fault === 'decline');
    if (fault === 'hang-after-approve') { this.hold(res); return; }
    if (fault === 'drop-after-approve') { res.socket?.destroy(); return; }
    if (fault === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(Buffer.from([0x3c, 0x72, 0x65, 0xff, 0x00, 0x3e, 0x3c]));
      return;
    }
    this.answer(res, fields);
  }

  private hold(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  private answer(res: ServerResponse, fields: Array<[string, string]>): void {
    const inXml = this.declare === 'xml' || this.declare === 'both';
    const inHeader = this.declare === 'header' || this.declare === 'both';
    let xml = buildSaDocument(SA_RESPONSE_ROOT, fields, { encodingName: xmlEncodingName(this.encoding) });
    if (!inXml) xml = xml.replace(/^<\?xml[^>]*\?>/, '');
    res.writeHead(200, { 'Content-Type': inHeader ? `text/xml; charset=${xmlEncodingName(this.encoding)}` : 'text/xml' });
    res.end(encodeSaBody(xml, this.encoding));
  }

  private base(op: string, doc: SaDocument): Array<[string, string]> {
    return [
      [SA_FIELD.timestamp, saTimestamp(new Date())],
      [SA_FIELD.operation, op],
      [SA_FIELD.terminalId, doc.fields.get(SA_FIELD.terminalId) ?? this.o.terminalId ?? '00092240'],
    ];
  }

  private perform(op: string, doc: SaDocument, forceDecline: boolean): Array<[string, string]> {
    const amount = Number(doc.fields.get(SA_FIELD.amountKopecks));
    const refuse = (hostCode: string, text: string): Array<[string, string]> =>
      [...(Number.isSafeInteger(amount) ? [[SA_FIELD.amountKopecks, String(amount)] as [string, string]] : []),
        ...this.base(op, doc), [SA_FIELD.hostCode, hostCode], [SA_FIELD.message, `${text}^DECLINED.JPG~`], [SA_FIELD.result, '0']];
    switch (op) {
      case SA_OPERATION.test:
        return [...this.base(op, doc), [SA_FIELD.message, 'ОПЕРАЦИЯ ОДОБРЕНА^APPROVED.JPG~'], [SA_FIELD.result, '1']];
      case SA_OPERATION.settlement: return this.settle(doc);
      case SA_OPERATION.lastOperationStatus: {
        const last = this.journal[this.journal.length - 1];
        if (!last) return [...this.base(op, doc), [SA_FIELD.message, 'НЕТ ДАННЫХ'], [SA_FIELD.result, '0']];
        return last.response;
      }
      case SA_OPERATION.sale: case SA_OPERATION.refund: case SA_OPERATION.cancel: {
        if (!Number.isSafeInteger(amount) || amount <= 0) return this.record(op, amount, refuse('12', 'НЕВЕРНАЯ СУММА'), false);
        if (forceDecline) return this.record(op, amount, refuse('05', 'ОТКАЗ'), false);
        const rrn = doc.fields.get(SA_FIELD.rrn) ?? '';
        const live = this.journal.filter((e) => e.approved && !e.cancelled);
        if (op === SA_OPERATION.sale) {
          if ((this.o.declineAmounts ?? []).includes(amount)) return this.record(op, amount, refuse('51', 'НЕДОСТАТОЧНО СРЕДСТВ'), false);
          return this.approve(op, amount, doc);
        }
        if (op === SA_OPERATION.refund) {
          const original = live.find((e) => e.operation === SA_OPERATION.sale && e.rrn === rrn);
          if (!original) return this.record(op, amount, refuse('25', 'ОПЕРАЦИЯ НЕ НАЙДЕНА'), false);
          if (amount > original.amountKopecks - original.refundedKopecks) return this.record(op, amount, refuse('13', 'СУММА ПРЕВЫШАЕТ ОСТАТОК'), false);
          original.refundedKopecks += amount;
          return this.approve(op, amount, doc);
        }
        const target = live.find((e) => !e.settled && e.operation !== SA_OPERATION.cancel && e.rrn === rrn);
        if (!target) return this.record(op, amount, refuse('25', 'ОПЕРАЦИЯ НЕ НАЙДЕНА'), false);
        if (target.amountKopecks !== amount) return this.record(op, amount, refuse('13', 'СУММА НЕ СОВПАДАЕТ'), false);
        target.cancelled = true;
        return this.approve(op, amount, doc);
      }
      default:
        return [...this.base(op, doc), [SA_FIELD.message, 'НЕИЗВЕСТНАЯ ОПЕРАЦИЯ'], [SA_FIELD.result, '0']];
    }
  }

  private approve(op: string, amount: number, doc: SaDocument): Array<[string, string]> {
    const n = this.journal.length + 1;
    const rrn = `${String(Date.now()).slice(-8)}${String(n).padStart(4, '0')}`;
    const title = op === SA_OPERATION.sale ? 'ОПЛАТА' : op === SA_OPERATION.refund ? 'ВОЗВРАТ' : 'ОТМЕНА';
    const slip = ['ИНПАС', title, `СУММА: ${rub(amount)} RUB`, `КАРТА: ${maskPan('2200000000001234')}`, `RRN: ${rrn}`, 'ОДОБРЕНО'];
    return this.record(op, amount, [
      [SA_FIELD.amountKopecks, String(amount)],
      [SA_FIELD.currency, doc.fields.get(SA_FIELD.currency) ?? '643'],
      [SA_FIELD.cardNumber, '2200000000001234'],
      [SA_FIELD.authCode, `B${String((n * 7919) % 100000).padStart(5, '0')}`],
      [SA_FIELD.rrn, rrn],
      [SA_FIELD.hostCode, '000'],
      [SA_FIELD.message, 'ОДОБРЕНО^APPROVED.JPG~'],
      [SA_FIELD.receiptNumber, String(n)],
      [SA_FIELD.merchantId, '11111111'],
      [SA_FIELD.slip, `0xDF^^${slip.join('\r\n')}~`],
      ...this.base(op, doc),
      [SA_FIELD.result, '1'],
    ], true, rrn);
  }

  private record(op: string, amount: number, response: Array<[string, string]>, approved: boolean, rrn: string | null = null): Array<[string, string]> {
    this.journal.push({ n: this.journal.length + 1, operation: op, amountKopecks: amount, approved, rrn, cancelled: false, refundedKopecks: 0, settled: false, response });
    return response;
  }

  private settle(doc: SaDocument): Array<[string, string]> {
    const batch = this.journal.filter((e) => !e.settled && e.approved && !e.cancelled);
    const total = (op: string) => batch.filter((e) => e.operation === op);
    const sales = total(SA_OPERATION.sale);
    const refunds = total(SA_OPERATION.refund);
    for (const e of this.journal) e.settled = true;
    const report = ['СВЕРКА ИТОГОВ', `ТЕРМИНАЛ: ${doc.fields.get(SA_FIELD.terminalId) ?? this.o.terminalId ?? '00092240'}`,
      `ОПЛАТА: ${sales.length} НА ${rub(sales.reduce((s, e) => s + e.amountKopecks, 0))}`,
      `ВОЗВРАТ: ${refunds.length} НА ${rub(refunds.reduce((s, e) => s + e.amountKopecks, 0))}`, 'ИТОГИ СОВПАЛИ', 'ОТЧЕТ ЗАВЕРШЕН'];
    return [...this.base(SA_OPERATION.settlement, doc), [SA_FIELD.hostCode, '000'], [SA_FIELD.message, 'ИТОГИ СОВПАЛИ'],
      [SA_FIELD.slip, `0xDF^^${report.join('\r\n')}~`], [SA_FIELD.result, '1']];
  }
}

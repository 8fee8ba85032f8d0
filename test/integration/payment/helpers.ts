// A sales database on a real file with the payment journal, a receipt to pay, and a scripted bank
// terminal double (the bank is the edge we do not own; the drivers' own tests use real emulators).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerminalError, type CardOperationRequest, type CardOutcome, type LastOperationReport, type PaymentTerminal,
  type ProgressListener, type SettlementResult, type TerminalReadiness } from '../../../drivers/payment/payment-terminal';
import type { PaymentTerminalConfig } from '../../../src-main/contract/payment-model';
import { openDatabase, type Database } from '../../../src-main/store/database';
import { AuditLog } from '../../../src-main/store/audit-log';
import { PaymentJournal } from '../../../src-main/store/payment-journal';
import { ReceiptRepository } from '../../../src-main/store/receipt-repository';
import { ShiftRepository } from '../../../src-main/store/shift-repository';
import { UserRepository } from '../../../src-main/store/user-repository';
import type { Clock } from '../../../src-main/services/clock';
import { PaymentService, type PaymentServiceOptions } from '../../../src-main/services/payment/payment-service';
import { TerminalRegistry } from '../../../src-main/services/payment/terminal-registry';

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

export function testClock(startIso = '2026-11-23T09:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = Date.parse(startIso);
  return { nowMs: () => now, nowIso: () => new Date(now).toISOString(), advance(ms) { now += ms; } };
}

export interface PaymentDb {
  db: Database;
  journal: PaymentJournal;
  audit: AuditLog;
  receipts: ReceiptRepository;
  close(): void;
}

export function openPaymentDb(file: string): PaymentDb {
  const db = openDatabase(file, 'sales');
  return { db, journal: new PaymentJournal(db), audit: new AuditLog(db), receipts: new ReceiptRepository(db), close: () => db.close() };
}

const AT = '2026-11-23T08:00:00.000Z';

/** A cashier, an open shift and an open receipt of totalKopecks. */
export function seedReceipt(p: PaymentDb, receiptId: string, totalKopecks: number): void {
  const users = new UserRepository(p.db);
  const shifts = new ShiftRepository(p.db);
  if (!users.byId('u1')) users.add({ id: 'u1', name: 'Кассир', role: 'cashier' }, 'x', AT);
  if (!shifts.byId('sh1')) shifts.open({ id: 'sh1', number: 1, openedAt: AT, openedBy: 'u1' });
  p.receipts.insert({ id: receiptId, shiftId: 'sh1', cashierId: 'u1', status: 'open', openedAt: AT }, AT);
  p.receipts.setTotal(receiptId, { totalKopecks, lineCount: 1, vatTotals: [] }, AT);
}

export function terminalConfig(id: string, routing: PaymentTerminalConfig['routing'] = {}, enabled = true): PaymentTerminalConfig {
  return { id, name: `Терминал ${id}`, protocol: 'scripted', connection: {}, role: `bank terminal ${id}`, routing, enabled };
}

/** What the double does with the next run(). */
export type Step =
  | 'approve' | 'decline'
  /** Approves, then the lane "dies": run() never resolves (the journal stays 'sent'). */
  | 'approveThenHang'
  /** Approves, then run() throws something that is not a TerminalError (a crash in the driver). */
  | 'approveThenThrow'
  /** Never reaches the bank: run() rejects with TerminalError('unavailable'). */
  | 'unavailable'
  /** The answer is lost and the terminal forgets: the report stays as it was before (never performed). */
  | 'lostBeforeTerminal';

/** A bank terminal double: a device with memory (it outlives a service instance, as a real one would). */
export class ScriptedTerminal implements PaymentTerminal {
  readonly protocol = 'scripted';
  readonly performed: Array<{ request: CardOperationRequest; outcome: CardOutcome }> = [];
  readonly script: Step[] = [];
  down = false;
  /** Whether lastOperation() echoes our reference (UPOS-like) or not (only kind + amount). */
  echoReference = true;
  /** Whether the approval carries an RRN / receipt number. */
  withIdentifiers = true;
  settlements = 0;
  last: LastOperationReport | null = null;
  /** Called with the request before the terminal does anything (to look at the journal at that moment). */
  onRun: ((request: CardOperationRequest) => void) | null = null;
  private counter = 0;

  /** stateFile: the device's memory on disk, so that it outlives a lane process killed mid-operation. */
  constructor(readonly id: string, private readonly stateFile: string | null = null) {
    if (stateFile && existsSync(stateFile)) {
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { performed: ScriptedTerminal['performed']; last: LastOperationReport | null; counter: number };
      this.performed.push(...saved.performed);
      this.last = saved.last;
      this.counter = saved.counter;
    }
  }

  private save(): void {
    if (this.stateFile) writeFileSync(this.stateFile, JSON.stringify({ performed: this.performed, last: this.last, counter: this.counter }));
  }

  async readiness(): Promise<TerminalReadiness> {
    return this.down ? { ready: false, message: 'no link' } : { ready: true, message: 'ready' };
  }

  async run(request: CardOperationRequest, onProgress?: ProgressListener): Promise<CardOutcome> {
    this.onRun?.(request);
    const step = this.script.shift() ?? 'approve';
    if (this.down || step === 'unavailable') throw new TerminalError('unavailable', `${this.id}: no link`);
    if (step === 'lostBeforeTerminal') return { state: 'unknown', reason: 'timeout' };
    onProgress?.('Приложите карту');
    const n = ++this.counter;
    const outcome: CardOutcome = step === 'decline'
      ? { state: 'declined', code: '51', message: 'Недостаточно средств', slip: [`${this.id} ОТКАЗ`] }
      : { state: 'approved', amountKopecks: request.amountKopecks, rrn: this.withIdentifiers ? `${this.id}-RRN-${n}` : null,
        authCode: this.withIdentifiers ? `A${n}` : null, receiptNumber: this.withIdentifiers ? String(n) : null, terminalId: `T${this.id}`,
        cardMasked: '**** 1234', cardType: 'MIR', slip: [`${this.id} ${request.kind.toUpperCase()}`, `СУММА ${request.amountKopecks / 100}`, 'ОДОБРЕНО'] };
    this.performed.push({ request, outcome });
    this.last = { reference: this.echoReference ? request.reference : null, kind: request.kind, amountKopecks: request.amountKopecks, outcome };
    this.save();
    if (step === 'approveThenHang') return new Promise<CardOutcome>(() => undefined);
    if (step === 'approveThenThrow') throw new Error('driver crashed after the approval');
    return outcome;
  }

  async lastOperation(): Promise<LastOperationReport | null> {
    if (this.down) throw new TerminalError('unavailable', `${this.id}: no link`);
    return this.last;
  }

  async settlement(): Promise<SettlementResult> {
    if (this.down) throw new TerminalError('unavailable', `${this.id}: no link`);
    this.settlements++;
    const ops = this.performed.length;
    return { ok: true, slip: [`СВЕРКА ИТОГОВ ${this.id}`, `ОПЕРАЦИЙ: ${ops}`, 'ИТОГИ СОВПАЛИ'], message: 'ok' };
  }

  async abort(): Promise<void> {}
  async close(): Promise<void> {}
}

export interface Rig {
  db: PaymentDb;
  service: PaymentService;
  registry: TerminalRegistry;
  opened: string[];
}

/** A payment service over the database, with the given devices behind the factory. */
export function paymentRig(db: PaymentDb, devices: Record<string, ScriptedTerminal>, clock: Clock, options: Partial<PaymentServiceOptions> = {}): Rig {
  const opened: string[] = [];
  const registry = new TerminalRegistry(async (config) => {
    const device = devices[config.id];
    if (!device) throw new TerminalError('config', `no device ${config.id}`);
    opened.push(config.id);
    return device;
  }, () => db.journal.terminals(), clock);
  const service = new PaymentService({ journal: db.journal, terminals: registry, clock, audit: db.audit },
    { enquiryAttempts: 2, enquiryDelayMs: 5, ...options });
  return { db, service, registry, opened };
}

// The sales database with its repositories, and the one way services write: a transaction in which
// the change, its outbox row and its audit record are written together or not at all.
import type { Database } from 'better-sqlite3';
import { openDatabase } from './database';
import { AuditLog } from './audit-log';
import { Counters } from './counters';
import { Outbox } from './outbox';
import { ReceiptRepository } from './receipt-repository';
import { SaleRepository } from './sale-repository';
import { SettingsRepository } from './settings-repository';
import { ShiftRepository } from './shift-repository';
import { UserRepository } from './user-repository';
import { FiscalDocumentOutbox } from './fiscal-document-outbox';
import { FiscalJournal } from './fiscal-journal';
import { MarkingJournal } from './marking-journal';
import { PaymentJournal } from './payment-journal';
import { DeviceConfigRepository } from './device-config';
import { ReturnRepository } from './return-repository';
import { SaleFinder } from './sale-finder';

export class SalesStore {
  readonly users: UserRepository;
  readonly settings: SettingsRepository;
  readonly counters: Counters;
  readonly shifts: ShiftRepository;
  readonly receipts: ReceiptRepository;
  readonly sales: SaleRepository;
  readonly outbox: Outbox;
  readonly audit: AuditLog;
  readonly fiscalJournal: FiscalJournal;
  readonly marking: MarkingJournal;
  readonly payments: PaymentJournal;
  readonly devices: DeviceConfigRepository;
  readonly returns: ReturnRepository;
  readonly saleFinder: SaleFinder;

  private constructor(private readonly db: Database) {
    this.users = new UserRepository(db);
    this.settings = new SettingsRepository(db);
    this.counters = new Counters(db);
    this.shifts = new ShiftRepository(db);
    this.receipts = new ReceiptRepository(db);
    this.sales = new SaleRepository(db);
    this.outbox = new Outbox(db);
    this.audit = new AuditLog(db);
    this.fiscalJournal = new FiscalJournal(db, new FiscalDocumentOutbox(db, this.outbox).jobDone);
    this.marking = new MarkingJournal(db);
    this.payments = new PaymentJournal(db);
    this.devices = new DeviceConfigRepository(db);
    this.returns = new ReturnRepository(db);
    this.saleFinder = new SaleFinder(db);
  }

  private lastWriteAtMs = 0;

  static open(file: string): SalesStore {
    const db = openDatabase(file, 'sales');
    // Checkpoints copy the WAL into the database file with an extra fsync; the sale path should not pay
    // for them. The automatic one only runs past ~16 MB of WAL; checkpointWhenIdle() does the usual ones.
    db.pragma('wal_autocheckpoint = 4000');
    return new SalesStore(db);
  }

  /** Runs fn in one IMMEDIATE transaction: all of its writes land, or none do. */
  transaction<T>(fn: () => T): T {
    this.lastWriteAtMs = performance.now();
    return this.db.transaction(fn).immediate();
  }

  /**
   * A passive checkpoint when nothing was written for `quietMs`: called on a timer, so the WAL is folded
   * into the database between customers rather than inside a scan. Returns whether it ran.
   */
  checkpointWhenIdle(quietMs = 2_000): boolean {
    if (!this.db.open || performance.now() - this.lastWriteAtMs < quietMs) return false;
    this.db.pragma('wal_checkpoint(PASSIVE)');
    return true;
  }

  /** What the connection really runs with (synchronous: 2 = FULL), for doctor and tests. */
  durability(): { journalMode: string; synchronous: number } {
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

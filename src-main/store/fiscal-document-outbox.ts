// Fiscal documents go to the head office when the job that made them is done, in that transaction
// (FiscalJournal's onDone): the outbox rows and the job's 'done' are one change, so each document is sent
// exactly once and never for a job that is not done. Every document the job made is sent (a sale's job
// may open the shift before its receipt); the head office puts the receipt's ФП and ФД on its sale lookup
// row, so a sale can be found for a return at any lane by what the buyer's receipt shows.
import type { Database, Statement } from 'better-sqlite3';
import { REGISTER_DATE_TIME, type DocumentPayload } from '../upstream/document-schemas';
import type { FiscalJob, FiscalStepAction } from './fiscal-journal';
import type { Outbox } from './outbox';

type DocumentKind = DocumentPayload<'fiscal.document'>['kind'];

/** The step actions that make a fiscal document (an X report makes none). */
const DOCUMENT_KIND: Record<FiscalStepAction, DocumentKind | null> = {
  receipt: 'receipt', openShift: 'openShift', closeShift: 'closeShift', cashIn: 'cashIn', cashOut: 'cashOut', correction: 'correction', xReport: null,
};

interface StepDocument { position: number; action: FiscalStepAction; fn_serial: string | null; fd_number: number | null; fiscal_sign: string | null; document_at: string | null }

export class FiscalDocumentOutbox {
  private readonly stepDocuments: Statement<[string], StepDocument>;
  private readonly returnOfJob: Statement<[string], { id: string }>;

  constructor(db: Database, private readonly outbox: Pick<Outbox, 'add'>) {
    this.stepDocuments = db.prepare(`SELECT position, action, fn_serial, fd_number, fiscal_sign, document_at FROM fiscal_job_steps
      WHERE job_id = ? AND state = 'done' AND fd_number IS NOT NULL ORDER BY position`);
    this.returnOfJob = db.prepare('SELECT id FROM sale_returns WHERE fiscal_job_id = ?');
  }

  /** Adds one outbox row per document the job made, in the order they were made. */
  readonly jobDone = (job: FiscalJob, at: string): void => {
    for (const step of this.stepDocuments.all(job.id)) {
      const kind = DOCUMENT_KIND[step.action];
      if (kind === null || step.fn_serial === null || step.fd_number === null || step.fiscal_sign === null) continue;
      // The job's own document (the sale's or the return's receipt) is the one on the job row.
      const own = step.fd_number === job.fdNumber && step.fn_serial === job.fnSerial;
      const payload: DocumentPayload<'fiscal.document'> = {
        jobId: job.id,
        step: step.position,
        kind,
        saleId: own && job.kind === 'sale' ? job.saleId : null,
        returnId: own && job.kind === 'receipt' ? this.returnOfJob.get(job.id)?.id ?? null : null,
        fnSerial: step.fn_serial,
        fdNumber: step.fd_number,
        fiscalSign: step.fiscal_sign,
        dateTime: registerDateTime(step.document_at),
        tlv: own && isTlvTree(job.document) ? job.document : null,
      };
      this.outbox.add({ type: 'fiscal.document', aggregateId: job.id, payload, at });
    }
  };
}

/** The register's time as the schema takes it; anything else (a register that answered oddly) goes as unknown. */
function registerDateTime(text: string | null): string | null {
  return text !== null && text.length <= 40 && REGISTER_DATE_TIME.test(text) ? text : null;
}

function isTlvTree(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

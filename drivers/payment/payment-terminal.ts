// The device-neutral bank card terminal the payment service speaks to (ARCHITECTURE §2, §4).
// Amounts are kopecks; currency is ISO 4217 numeric (643 = RUB). A driver maps these to its protocol
// (Sber UPOS sb_pilot, INPAS DualConnector, ZVT); nothing here knows their bytes or files.
//
// The one rule every driver keeps: a card operation that may have reached the terminal never ends in
// an exception. It ends in an outcome, and where the driver cannot know the result it says 'unknown'
// so that the service finds out (status enquiry, last-operation report, slip) instead of retrying.
// Exceptions (TerminalError) are only for operations that certainly did not start.

export type CardOperationKind = 'purchase' | 'refund' | 'cancel';

export interface CardOperationRequest {
  kind: CardOperationKind;
  amountKopecks: number;
  /** 643 unless configured otherwise. */
  currency?: number;
  /**
   * Our id of this operation (the payment journal row). Drivers pass it where the protocol carries an
   * ECR reference, and use it to match a last-operation report to this request.
   */
  reference: string;
  /** For cancel and refund: the approved operation being undone, as the terminal reported it. */
  original?: ApprovedOperation;
}

/** What an approved operation left behind; stored with the payment, needed to cancel or refund it. */
export interface ApprovedOperation {
  amountKopecks: number;
  rrn: string | null;
  authCode: string | null;
  /** Terminal's receipt / trace number (ZVT BMP 87, Sber check number). */
  receiptNumber: string | null;
  terminalId: string | null;
  /** Masked PAN as printed, e.g. "**** 1234". */
  cardMasked: string | null;
  /** Card scheme as the terminal names it ("MIR", "VISA", …), when it does. */
  cardType: string | null;
}

export type CardOutcome =
  | ({ state: 'approved'; slip: string[] } & ApprovedOperation)
  | { state: 'declined'; code: string; message: string; slip: string[] }
  /** The operation may or may not have happened: the service must find out before anything else. */
  | { state: 'unknown'; reason: string };

/** The terminal's answer about its last operation (status enquiry / last-operation report / slip). */
export interface LastOperationReport {
  /** Our reference, when the protocol echoes it; null when the protocol has no such field. */
  reference: string | null;
  kind: CardOperationKind | null;
  amountKopecks: number | null;
  outcome: CardOutcome;
}

export interface SettlementResult {
  ok: boolean;
  /** The report as the terminal printed it (сверка итогов), one string per line. */
  slip: string[];
  message: string;
}

export interface TerminalReadiness {
  ready: boolean;
  message: string;
}

/** Progress the terminal reports while an operation runs ("Вставьте карту", "Введите ПИН"). */
export type ProgressListener = (message: string) => void;

export interface PaymentTerminal {
  /** 'upos' | 'inpas' | 'zvt' | … */
  readonly protocol: string;
  readiness(): Promise<TerminalReadiness>;
  /** One operation at a time; a second call while one runs rejects with TerminalError('busy'). */
  run(request: CardOperationRequest, onProgress?: ProgressListener): Promise<CardOutcome>;
  /** Asks the terminal what happened to its last operation; null when it has nothing to say. */
  lastOperation(): Promise<LastOperationReport | null>;
  /** End of day (сверка итогов). */
  settlement(): Promise<SettlementResult>;
  /** Asks the terminal to abort the running operation; the running run() still resolves with its outcome. */
  abort(): Promise<void>;
  close(): Promise<void>;
}

export type TerminalErrorKind = 'unavailable' | 'busy' | 'protocol' | 'config';

/** An operation that certainly did not start (or a non-card call that failed). */
export class TerminalError extends Error {
  constructor(readonly kind: TerminalErrorKind, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TerminalError';
  }
}

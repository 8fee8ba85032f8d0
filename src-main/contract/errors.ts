// Errors cross the contract as values: a stable code, a message a cashier can act on (ru, en),
// and details for the log. Never a bare string.
import { z } from 'zod';

export const ERROR_CODES = [
  'BAD_REQUEST',        // the request did not parse against the call's schema
  'UNKNOWN_CALL',       // no such call in the registry
  'UNAUTHENTICATED',    // nobody is logged in (or the screen is locked)
  'FORBIDDEN',          // the user's role lacks the permission and no valid override came with the call
  'BAD_PIN',            // login or override PIN does not match any active user
  'NOT_FOUND',          // product, receipt, sale, line … does not exist
  'INVALID_STATE',      // e.g. paying a parked receipt, closing a shift with open receipts
  'NO_OPEN_SHIFT',      // selling needs an open shift
  'INSUFFICIENT_TENDER',// cash given is less than the total
  'INVALID_BARCODE',    // malformed scan
  'LIMIT_EXCEEDED',     // too many open receipts, too large a quantity, …
  'MARKING_REFUSED',    // the permissive-mode check forbids selling this marked item (details: rule, what to do)
  'INTERNAL',           // a bug: logged with details, the receipt in progress is intact
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const LocalizedText = z.object({ ru: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const PosErrorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: LocalizedText,
  details: z.record(z.string(), z.unknown()).optional(),
});
export type PosErrorShape = z.infer<typeof PosErrorShape>;

/** The one error class services throw; transports turn it into a PosErrorShape. */
export class PosError extends Error {
  readonly code: ErrorCode;
  readonly text: LocalizedText;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, text: LocalizedText, details?: Record<string, unknown>) {
    super(`${code}: ${text.en}`);
    this.name = 'PosError';
    this.code = code;
    this.text = text;
    this.details = details;
  }

  toShape(): PosErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.text }
      : { code: this.code, message: this.text, details: this.details };
  }
}

export function isPosErrorShape(value: unknown): value is PosErrorShape {
  return PosErrorShape.safeParse(value).success;
}

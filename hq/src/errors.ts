// Errors are values with a code, a message for the person reading it and details for the log.
// HttpError carries the status the API answers with; its JSON body is always { error: {...} }.
export class HqError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const hqErrors = {
  unauthorized: () => new HqError(401, 'auth.required', 'Authorization: Bearer <lane token> is required'),
  badToken: () => new HqError(401, 'auth.badToken', 'the lane token is not known (revoked, or for another head office)'),
  forbidden: (what: string) => new HqError(403, 'auth.forbidden', `this lane may not ${what}`),
  notFound: () => new HqError(404, 'http.notFound', 'no such endpoint'),
  tooLarge: (what: string) => new HqError(413, 'batch.tooLarge', what),
  malformed: (message: string, details?: unknown) => new HqError(400, 'request.malformed', message, details),
  invalidDocuments: (invalid: unknown) =>
    new HqError(422, 'documents.invalid', 'some documents do not match their schema; nothing of the batch was written', { invalid }),
};

export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export const stderrLogger: Logger = (level, message, fields) => {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level, message, ...fields })}\n`);
};

export const silentLogger: Logger = () => undefined;

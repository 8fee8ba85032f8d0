// INPAS DualConnector "SA" protocol as we reconstructed it. The specification is under NDA, so every
// detail here is UNCONFIRMED and lives in this one file. Sources: notes and tests of an open Rust pos
// agent (the primary one), a Python bridge built from kkmspb.ru debug dumps, a Python client, a test
// simulator; where they disagree the alternative is noted.
//
// Transport: XML in an HTTP POST to the service root of DualConnector (default http://localhost:9015/),
// Content-Type text/xml. Request (UTF-8, declared):
//   <?xml version="1.0" encoding="UTF-8"?><request><field id="00">12345</field>…<timeout>ms</timeout></request>
// Response: <response><field id="39">1</field>…</response>, in UTF-8, windows-1251, cp866 or KOI8-R
// (see body-encoding.ts); errors may come as <errorcode>/<errordescription> elements.
export const SA_ENDPOINT_PATH = '/';
export const SA_REQUEST_ROOT = 'request';
export const SA_RESPONSE_ROOT = 'response';
export const SA_FIELD_ELEMENT = 'field';
/** Milliseconds DualConnector may wait for the terminal (the Rust agent sends it for settlement). */
export const SA_TIMEOUT_ELEMENT = 'timeout';
export const SA_ERROR_CODE_ELEMENT = 'errorcode';
export const SA_ERROR_TEXT_ELEMENT = 'errordescription';

export const SA_FIELD = {
  amountKopecks: '00',
  currency: '04',
  /** Masked PAN (some builds send the full PAN: we mask it, see maskPan). */
  cardNumber: '10',
  authCode: '13',
  /** RRN: of this operation in a response, of the original one in a refund/cancel request. (The bridge used 52.) */
  rrn: '14',
  /** The host's response code ("000", "00", "ER3"). */
  hostCode: '15',
  /** Text for the cashier, may end in "^IMAGE.JPG~" (a pinpad picture reference): see cleanMessage. */
  message: '19',
  /** Local time YYYYMMDDhhmmss. */
  timestamp: '21',
  /** Terminal's receipt / check number (the simulator sends 0). */
  receiptNumber: '23',
  operation: '25',
  terminalId: '27',
  merchantId: '28',
  /** Result: '1' = success. (The bridge also accepted '00'; we do not.) */
  result: '39',
  /** Slip / report text, may start "0xDF^^" and end "~": see cleanSlip. */
  slip: '90',
} as const;

export const SA_OPERATION = {
  sale: '1',
  /** The Python bridge used 2 for cancel; the brief's source suggested 4. UNCONFIRMED either way. */
  cancel: '4',
  refund: '3',
  test: '26',
  settlement: '59',
  /**
   * Status of the last operation. UNCONFIRMED: we assume DualConnector answers with the last
   * operation's own fields (25 = its operation code, 39 = its result); our emulator does exactly that.
   */
  lastOperationStatus: '63',
} as const;

export const SA_SUCCESS = '1';
export const SA_CURRENCY_RUB = '643';
export const SA_DEFAULT_TIMEOUT_MS = 120_000;
export const SA_SETTLEMENT_TIMEOUT_MS = 600_000;

/** "ОПЕРАЦИЯ ОДОБРЕНА^APPROVED.JPG~" → "ОПЕРАЦИЯ ОДОБРЕНА". */
export function cleanMessage(text: string): string {
  return text.replace(/\^[^\^~]*~\s*$/, '').trim();
}

/** Field 90 to slip lines: drop the "0xDF^^" prefix and the trailing "~", split lines. */
export function cleanSlip(text: string): string[] {
  const body = text.trim().replace(/^0xDF\^\^/, '').replace(/~+\s*$/, '');
  const lines = body.split(/\r\n|\r|\n/).map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}

/** Never keep a full PAN: anything that is all digits and longer than 4 becomes ****NNNN. */
export function maskPan(value: string): string {
  const v = value.trim();
  if (v.includes('*') || !/^\d{5,}$/.test(v)) return v;
  return `****${v.slice(-4)}`;
}

/** YYYYMMDDhhmmss in local time. */
export function saTimestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

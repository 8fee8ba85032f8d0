// The ZVT commands we use, both directions (ZVT 13.x chapters 2 "ECR → PT" and 3 "PT → ECR").
// One table of builders and readers, so the emulator decodes exactly what the driver encodes.
import { BMP, BmpList, bmp, concat, decodeBmps, decodeTlv, encodeBmps, encodeTlv, findTlv, type BmpField, type TlvNode } from './bmp';
import { ZvtCodecError, apdu, decodeBcd, encodeBcd, type Apdu } from './codec';

export const CMD = {
  registration: [0x06, 0x00],
  authorisation: [0x06, 0x01],
  completion: [0x06, 0x0f],
  abortFromPt: [0x06, 0x1e],
  repeatReceipt: [0x06, 0x20],
  reversal: [0x06, 0x30],
  refund: [0x06, 0x31],
  endOfDay: [0x06, 0x50],
  abort: [0x06, 0xb0],
  printLine: [0x06, 0xd1],
  printTextBlock: [0x06, 0xd3],
  statusEnquiry: [0x05, 0x01],
  statusInformation: [0x04, 0x0f],
  intermediateStatus: [0x04, 0xff],
} as const satisfies Record<string, readonly [number, number]>;

export type CommandKey = keyof typeof CMD;

export function is(a: Apdu, key: CommandKey): boolean {
  return a.cls === CMD[key][0] && a.instr === CMD[key][1];
}

export function commandKey(a: Apdu): CommandKey | null {
  for (const key of Object.keys(CMD) as CommandKey[]) if (is(a, key)) return key;
  return null;
}

const make = (key: CommandKey, data: Uint8Array = new Uint8Array(0)): Apdu => apdu(CMD[key][0], CMD[key][1], data);

// ---- acknowledgements -----------------------------------------------------------------------------

/** 80 00 00: "received, go on". */
export const positiveAck = (): Apdu => apdu(0x80, 0x00);
/** 84 xx 00: the receiver refuses the command with code xx (ZVT 13.x §2.x "negative acknowledgement"). */
export const negativeAck = (code: number): Apdu => apdu(0x84, code);
export const isPositiveAck = (a: Apdu): boolean => a.cls === 0x80 && a.instr === 0x00;
/** 84 00 is listed as a positive acknowledgement too (ecrterm's table of the spec's commands). */
export const isNegativeAck = (a: Apdu): boolean => a.cls === 0x84 && a.instr !== 0x00;

// ---- ECR → PT -------------------------------------------------------------------------------------

/** Registration config byte bits (ZVT 13.x §2.1). UNCONFIRMED bit meanings beyond 02/04/08/80. */
export const CONFIG = {
  /** The ECR prints the payment receipt: the PT sends it as print lines. */
  ecrPrintsPayment: 0x02,
  /** The ECR prints administration receipts (end of day) the same way. */
  ecrPrintsAdmin: 0x04,
  /** The PT sends intermediate status information (04 FF). */
  intermediateStatus: 0x08,
  /** Print lines come as text blocks (06 D3) instead of lines (06 D1). */
  textBlocks: 0x80,
} as const;

export const DEFAULT_CONFIG_BYTE = CONFIG.ecrPrintsPayment | CONFIG.ecrPrintsAdmin | CONFIG.intermediateStatus;

export function passwordBytes(password: string): Uint8Array {
  if (!/^\d{1,6}$/.test(password)) throw new ZvtCodecError('bad-field', 'the ZVT password is 1–6 digits');
  return encodeBcd(password, 3);
}

export interface RegistrationRequest { password: string; configByte: number; currency: number | null; serviceByte?: number }

export function registration(r: RegistrationRequest): Apdu {
  const parts = [passwordBytes(r.password), Uint8Array.of(r.configByte)];
  // The currency follows the config byte without a BMP id (ecrterm Registration.cc).
  if (r.currency !== null) parts.push(encodeBcd(r.currency, 2));
  if (r.serviceByte !== undefined) parts.push(encodeBmps([bmp.serviceByte(r.serviceByte)]));
  return make('registration', concat(parts));
}

export function readRegistration(a: Apdu): RegistrationRequest {
  const d = a.data;
  if (d.length < 4) throw new ZvtCodecError('short', 'registration needs password and config byte');
  const out: RegistrationRequest = { password: decodeBcd(d.subarray(0, 3)), configByte: d[3]!, currency: null };
  let at = 4;
  if (d.length >= 6 && d[4] !== BMP.serviceByte) { out.currency = Number(decodeBcd(d.subarray(4, 6))); at = 6; }
  const rest = decodeBmps(d, at);
  const sb = rest.byte(BMP.serviceByte);
  if (sb !== null) out.serviceByte = sb;
  return out;
}

export function authorisation(amountKopecks: number, currency: number, extra: BmpField[] = []): Apdu {
  return make('authorisation', encodeBmps([bmp.amount(amountKopecks), bmp.currency(currency), ...extra]));
}

/** 06 30: <password> 87 <receipt-no> (ZVT 13.x §2.10). */
export function reversal(password: string, receiptNumber: string, extra: BmpField[] = []): Apdu {
  return make('reversal', concat([passwordBytes(password), encodeBmps([bmp.receipt(receiptNumber), ...extra])]));
}

/** 06 31: <password> 04 <amount> (ZVT 13.x §2.11). */
export function refund(password: string, amountKopecks: number, currency: number): Apdu {
  return make('refund', concat([passwordBytes(password), encodeBmps([bmp.amount(amountKopecks), bmp.currency(currency)])]));
}

export const endOfDay = (password: string): Apdu => make('endOfDay', passwordBytes(password));
export const repeatReceipt = (password: string): Apdu => make('repeatReceipt', passwordBytes(password));
export const statusEnquiry = (password: string): Apdu => make('statusEnquiry', passwordBytes(password));
/** 06 B0 carries no data; the PT ends the running operation with 06 1E 6C. */
export const abortCommand = (): Apdu => make('abort');

/** Commands that start with a password: its digits and the BMPs after it. */
export function readPasswordCommand(a: Apdu): { password: string; bmps: BmpList } {
  if (a.data.length < 3) throw new ZvtCodecError('short', 'command needs a 3-byte password');
  return { password: decodeBcd(a.data.subarray(0, 3)), bmps: decodeBmps(a.data, 3) };
}

// ---- PT → ECR -------------------------------------------------------------------------------------

/** 04 FF <status> [<timeout s>] [06 TLV]. */
export function intermediateStatus(code: number, timeoutSeconds?: number): Apdu {
  return make('intermediateStatus', timeoutSeconds === undefined ? Uint8Array.of(code) : Uint8Array.of(code, timeoutSeconds));
}

export function readIntermediateStatus(a: Apdu): { code: number; timeoutSeconds: number | null } {
  if (a.data.length < 1) throw new ZvtCodecError('short', '04 FF without a status byte');
  // The optional timeout byte is only a timeout when no TLV container (06) starts there. UNCONFIRMED.
  const t = a.data.length >= 2 && a.data[1] !== BMP.tlv ? a.data[1]! : null;
  return { code: a.data[0]!, timeoutSeconds: t };
}

export const statusInformation = (fields: BmpField[]): Apdu => make('statusInformation', encodeBmps(fields));
export const readStatusInformation = (a: Apdu): BmpList => decodeBmps(a.data);

/** 06 D1 <attribute> <text>; attribute 0x80 and above mark the last line (UNCONFIRMED). */
export function printLine(attribute: number, text: Uint8Array): Apdu {
  return make('printLine', concat([Uint8Array.of(attribute), text]));
}

export function readPrintLine(a: Apdu): { attribute: number; text: Uint8Array } {
  if (a.data.length < 1) throw new ZvtCodecError('short', '06 D1 without an attribute byte');
  return { attribute: a.data[0]!, text: a.data.subarray(1) };
}

/** TLV tags of a text block: 25 print-texts holding 07 text lines (ZVT 13.x chapter 9). */
export const TLV = { printTexts: 0x25, textLine: 0x07, receiptType: 0x1f07 } as const;

export function printTextBlock(lines: Uint8Array[], receiptType = 1): Apdu {
  const nodes: TlvNode[] = [
    { tag: TLV.receiptType, value: Uint8Array.of(receiptType) },
    { tag: TLV.printTexts, value: new Uint8Array(0), children: lines.map((l) => ({ tag: TLV.textLine, value: l })) },
  ];
  return make('printTextBlock', encodeBmps([{ id: BMP.tlv, value: encodeTlv(nodes) }]));
}

export function readPrintTextBlock(a: Apdu): Uint8Array[] {
  const tlvField = decodeBmps(a.data).get(BMP.tlv);
  if (!tlvField) return [];
  return findTlv(decodeTlv(tlvField), TLV.textLine).map((n) => n.value);
}

/** 06 0F [BMPs]; after a status enquiry: [LLL software version] <terminal status> (ecrterm Completion). */
export function completion(fields: BmpField[] = []): Apdu {
  return make('completion', encodeBmps(fields));
}

export function statusCompletion(softwareVersion: string, terminalStatus: number): Apdu {
  const version = Uint8Array.from(softwareVersion, (c) => c.charCodeAt(0) & 0x7f);
  const len = String(version.length).padStart(3, '0');
  return make('completion', concat([Uint8Array.from(len, (c) => 0xf0 | Number(c)), version, Uint8Array.of(terminalStatus)]));
}

/** The terminal status byte of a completion to 05 01, or null when the completion has none. */
export function readStatusCompletion(a: Apdu): { softwareVersion: string | null; terminalStatus: number | null } {
  const d = a.data;
  let at = 0;
  let softwareVersion: string | null = null;
  if (d.length >= 3 && d.subarray(0, 3).every((b) => (b & 0xf0) === 0xf0 && (b & 0x0f) <= 9)) {
    const n = (d[0]! & 0x0f) * 100 + (d[1]! & 0x0f) * 10 + (d[2]! & 0x0f);
    if (3 + n > d.length) throw new ZvtCodecError('short', 'software version cut short');
    softwareVersion = String.fromCharCode(...d.subarray(3, 3 + n));
    at = 3 + n;
  }
  return { softwareVersion, terminalStatus: at < d.length ? d[at]! : null };
}

/** 06 1E <result-code>. */
export const abortFromPt = (resultCode: number): Apdu => make('abortFromPt', Uint8Array.of(resultCode));

export function readAbortFromPt(a: Apdu): number | null {
  return a.data.length >= 1 ? a.data[0]! : null;
}

// Shtrih-M frames and field encodings (protocol spec v1.17 pp.8–13 and Appendix 3; reference §1.1).
// Pure functions: no I/O, no clock. Every failure is a CodecError with a code, never anything else.
import iconv from 'iconv-lite';

export const STX = 0x02;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
/** Over TCP/RNDIS the register sends an extra 0xFF after the host's ACK (reference §1.1). */
export const TCP_FILLER = 0xff;
export const MAX_FRAME_PAYLOAD = 255;

export type CodecErrorCode = 'no-stx' | 'short' | 'bad-lrc' | 'too-long' | 'bad-field' | 'trailing' | 'unknown-command';

export class CodecError extends Error {
  constructor(readonly code: CodecErrorCode, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CodecError';
  }
}

/** LRC = XOR of LEN and every byte of CMD+DATA (§1.1). */
export function lrc(len: number, payload: Uint8Array): number {
  let x = len & 0xff;
  for (const b of payload) x ^= b;
  return x;
}

/** payload = CMD (1 or 2 bytes) + DATA. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length === 0) throw new CodecError('short', 'empty frame payload');
  if (payload.length > MAX_FRAME_PAYLOAD) throw new CodecError('too-long', `frame payload of ${payload.length} bytes > 255`, { length: payload.length });
  const out = new Uint8Array(payload.length + 3);
  out[0] = STX;
  out[1] = payload.length;
  out.set(payload, 2);
  out[out.length - 1] = lrc(payload.length, payload);
  return out;
}

/** Decodes one complete frame (STX LEN payload LRC); returns the payload. */
export function decodeFrame(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 1 || bytes[0] !== STX) throw new CodecError('no-stx', 'frame does not start with STX');
  if (bytes.length < 2) throw new CodecError('short', 'frame has no length byte');
  const len = bytes[1]!;
  if (len === 0) throw new CodecError('short', 'frame length is zero');
  if (bytes.length < len + 3) throw new CodecError('short', `frame needs ${len + 3} bytes, got ${bytes.length}`);
  if (bytes.length > len + 3) throw new CodecError('trailing', `frame has ${bytes.length - len - 3} trailing bytes`);
  const payload = bytes.slice(2, 2 + len);
  const expected = lrc(len, payload);
  if (bytes[len + 2] !== expected) throw new CodecError('bad-lrc', 'LRC mismatch', { expected, got: bytes[len + 2] });
  return payload;
}

/** Two-byte commands start with 0xFF and go big-endian (FF 46) (§1.1). */
export function splitCommand(payload: Uint8Array): { code: number; data: Uint8Array } {
  if (payload.length === 0) throw new CodecError('short', 'no command byte');
  if (payload[0] === 0xff) {
    if (payload.length < 2) throw new CodecError('short', 'two-byte command cut short');
    return { code: 0xff00 | payload[1]!, data: payload.subarray(2) };
  }
  return { code: payload[0]!, data: payload.subarray(1) };
}

export function commandBytes(code: number): Uint8Array {
  return code > 0xff ? Uint8Array.of(code >> 8, code & 0xff) : Uint8Array.of(code);
}

export const cp1251 = {
  encode: (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'win1251')),
  decode: (bytes: Uint8Array): string => iconv.decode(Buffer.from(bytes), 'win1251'),
};
export const cp866 = {
  encode: (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'cp866')),
  decode: (bytes: Uint8Array): string => iconv.decode(Buffer.from(bytes), 'cp866'),
};

// ---- Field layouts ------------------------------------------------------------------------------
// A command's request and answer are lists of fields. One table drives both directions, so the
// emulator decodes exactly what the driver encodes and the tests cover every command both ways.

export type FieldKind =
  | 'u8' | 'u16' | 'u32' | 'u48'
  /** 5-byte little-endian kopecks; FF FF FF FF FF = null ("auto" / "none", FF46/FF45). */
  | 'money'
  /** 6-byte little-endian quantity ×10⁶ (FF46); the value is in thousandths (×10³). */
  | 'qty6'
  /** Legacy 5-byte quantity ×10³ (80h). */
  | 'qty5'
  /** Fixed-size CP1251 text, zero-padded. */
  | 'text'
  /** CP1251 text to the end of the data, up to `size` bytes. */
  | 'textRest'
  /** Fixed-size ASCII (FN serial). */
  | 'ascii'
  /** Raw bytes to the end, up to `size`. */
  | 'bytesRest'
  /** FN date-time YY MM DD hh mm → 'YYYY-MM-DDThh:mm'. */
  | 'fnDateTime'
  /** KKT date DD MM YY → 'YYYY-MM-DD'. */
  | 'date'
  /** KKT time hh mm ss → 'hh:mm:ss'. */
  | 'time';

export interface Field { name: string; kind: FieldKind; size?: number; optional?: boolean }
export type FieldValue = number | string | Uint8Array | null;
export type FieldValues = Record<string, FieldValue>;

const FIXED_SIZE: Partial<Record<FieldKind, number>> = {
  u8: 1, u16: 2, u32: 4, u48: 6, money: 5, qty6: 6, qty5: 5, fnDateTime: 5, date: 3, time: 3,
};

function writeUint(out: number[], value: number, bytes: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * bytes)) {
    throw new CodecError('bad-field', `${name}: ${value} does not fit ${bytes} bytes`, { field: name, value });
  }
  let v = value;
  for (let i = 0; i < bytes; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
}

function readUint(data: Uint8Array, at: number, bytes: number): number {
  let v = 0;
  for (let i = bytes - 1; i >= 0; i--) v = v * 256 + data[at + i]!;
  return v;
}

const two = (n: number) => String(n).padStart(2, '0');

function parseDateParts(text: string, re: RegExp, name: string): number[] {
  const m = re.exec(text);
  if (!m) throw new CodecError('bad-field', `${name}: '${text}' is not a valid date/time`, { field: name });
  return m.slice(1).map(Number);
}

export function encodeFields(layout: readonly Field[], values: FieldValues): Uint8Array {
  const out: number[] = [];
  for (const f of layout) {
    const v = values[f.name];
    if (v === undefined) {
      if (f.optional) continue;
      throw new CodecError('bad-field', `${f.name}: missing`, { field: f.name });
    }
    const num = () => {
      if (typeof v !== 'number') throw new CodecError('bad-field', `${f.name}: expected a number`, { field: f.name });
      return v;
    };
    switch (f.kind) {
      case 'u8': writeUint(out, num(), 1, f.name); break;
      case 'u16': writeUint(out, num(), 2, f.name); break;
      case 'u32': writeUint(out, num(), 4, f.name); break;
      case 'u48': writeUint(out, num(), 6, f.name); break;
      case 'money':
        if (v === null) out.push(0xff, 0xff, 0xff, 0xff, 0xff);
        else writeUint(out, num(), 5, f.name);
        break;
      case 'qty6': writeUint(out, num() * 1000, 6, f.name); break;
      case 'qty5': writeUint(out, num(), 5, f.name); break;
      case 'text': case 'ascii': case 'textRest': {
        if (typeof v !== 'string') throw new CodecError('bad-field', `${f.name}: expected text`, { field: f.name });
        const bytes = f.kind === 'ascii' ? new TextEncoder().encode(v) : cp1251.encode(v);
        const size = f.size ?? bytes.length;
        const cut = bytes.subarray(0, size);
        for (const b of cut) out.push(b);
        if (f.kind !== 'textRest') for (let i = cut.length; i < size; i++) out.push(0);
        break;
      }
      case 'bytesRest': {
        if (!(v instanceof Uint8Array)) throw new CodecError('bad-field', `${f.name}: expected bytes`, { field: f.name });
        if (f.size !== undefined && v.length > f.size) throw new CodecError('too-long', `${f.name}: ${v.length} > ${f.size} bytes`, { field: f.name });
        for (const b of v) out.push(b);
        break;
      }
      case 'fnDateTime': {
        const [y, mo, d, h, mi] = parseDateParts(String(v), /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/, f.name);
        out.push(y! % 100, mo!, d!, h!, mi!);
        break;
      }
      case 'date': {
        const [y, mo, d] = parseDateParts(String(v), /^(\d{4})-(\d{2})-(\d{2})$/, f.name);
        out.push(d!, mo!, y! % 100);
        break;
      }
      case 'time': {
        const [h, mi, s] = parseDateParts(String(v), /^(\d{2}):(\d{2}):(\d{2})$/, f.name);
        out.push(h!, mi!, s!);
        break;
      }
    }
  }
  return Uint8Array.from(out);
}

/** Decodes `data` by `layout`. Extra trailing bytes are kept in `_rest` (newer firmware appends fields). */
export function decodeFields(layout: readonly Field[], data: Uint8Array): FieldValues {
  const values: FieldValues = {};
  let at = 0;
  for (const f of layout) {
    const fixed = FIXED_SIZE[f.kind] ?? (f.kind === 'text' || f.kind === 'ascii' ? f.size ?? 0 : undefined);
    if (fixed !== undefined && at + fixed > data.length) {
      if (f.optional && at === data.length) continue;
      throw new CodecError('short', `${f.name}: needs ${fixed} bytes at offset ${at}, ${data.length - at} left`, { field: f.name });
    }
    switch (f.kind) {
      case 'u8': case 'u16': case 'u32': case 'u48': values[f.name] = readUint(data, at, fixed!); break;
      case 'money': {
        const raw = data.subarray(at, at + 5);
        values[f.name] = raw.every((b) => b === 0xff) ? null : readUint(data, at, 5);
        break;
      }
      case 'qty6': values[f.name] = Math.round(readUint(data, at, 6) / 1000); break;
      case 'qty5': values[f.name] = readUint(data, at, 5); break;
      case 'text': case 'ascii': {
        let raw = data.subarray(at, at + fixed!);
        const zero = raw.indexOf(0);
        if (zero >= 0) raw = raw.subarray(0, zero);
        values[f.name] = f.kind === 'ascii' ? String.fromCharCode(...raw) : cp1251.decode(raw);
        break;
      }
      case 'textRest': case 'bytesRest': {
        const raw = data.subarray(at);
        if (f.size !== undefined && raw.length > f.size) throw new CodecError('too-long', `${f.name}: ${raw.length} > ${f.size} bytes`, { field: f.name });
        values[f.name] = f.kind === 'textRest' ? cp1251.decode(raw).replace(/\0+$/, '') : raw.slice();
        at = data.length;
        continue;
      }
      case 'fnDateTime': {
        const [y, mo, d, h, mi] = data.subarray(at, at + 5);
        values[f.name] = `${2000 + y!}-${two(mo!)}-${two(d!)}T${two(h!)}:${two(mi!)}`;
        break;
      }
      case 'date': {
        const [d, mo, y] = data.subarray(at, at + 3);
        values[f.name] = `${2000 + y!}-${two(mo!)}-${two(d!)}`;
        break;
      }
      case 'time': {
        const [h, mi, s] = data.subarray(at, at + 3);
        values[f.name] = `${two(h!)}:${two(mi!)}:${two(s!)}`;
        break;
      }
    }
    at += fixed!;
  }
  if (at < data.length) values._rest = data.slice(at);
  return values;
}

// The byte encodings sb_pilot writes `e`, `p` and its console in: cp866 on Windows, KOI8-R in the
// Linux build (per a Linux wrapper and SetRetail's plugin). Configurable because installations differ.
import iconv from 'iconv-lite';

export type UposEncoding = 'cp866' | 'koi8-r' | 'win1251' | 'utf-8';
export const UPOS_ENCODINGS: readonly UposEncoding[] = ['cp866', 'koi8-r', 'win1251', 'utf-8'];

export const defaultUposEncoding = (platform: NodeJS.Platform = process.platform): UposEncoding =>
  platform === 'win32' ? 'cp866' : 'koi8-r';

export function decodeUposText(bytes: Uint8Array, encoding: UposEncoding): string {
  return encoding === 'utf-8' ? Buffer.from(bytes).toString('utf8') : iconv.decode(Buffer.from(bytes), encoding);
}

export function encodeUposText(text: string, encoding: UposEncoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
}

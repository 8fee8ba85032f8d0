// Response bodies from DualConnector come in mixed encodings (UTF-8, windows-1251, cp866, KOI8-R;
// reference §3). Order of evidence: bytes that are valid UTF-8 are UTF-8 (a Cyrillic single-byte text
// is practically never valid UTF-8, while declarations are known to lie); then the Content-Type
// charset; then the XML declaration; then windows-1251, the encoding DualConnector usually declares.
import iconv from 'iconv-lite';

export type SaEncoding = 'utf-8' | 'windows-1251' | 'cp866' | 'koi8-r';
export const SA_ENCODINGS: readonly SaEncoding[] = ['utf-8', 'windows-1251', 'cp866', 'koi8-r'];

const ALIASES: Record<string, SaEncoding> = {
  'utf-8': 'utf-8', utf8: 'utf-8',
  'windows-1251': 'windows-1251', cp1251: 'windows-1251', 'win-1251': 'windows-1251', win1251: 'windows-1251', 'x-cp1251': 'windows-1251',
  cp866: 'cp866', ibm866: 'cp866', '866': 'cp866', 'csibm866': 'cp866',
  'koi8-r': 'koi8-r', koi8r: 'koi8-r', koi8: 'koi8-r',
};

export const saEncodingFromLabel = (label: string): SaEncoding | null =>
  ALIASES[label.trim().replace(/^["']|["']$/g, '').toLowerCase()] ?? null;

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function declaredInXml(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? null;
}

function declaredInHeader(contentType: string | undefined): string | null {
  return contentType ? /charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1] ?? null : null;
}

export function detectSaEncoding(bytes: Uint8Array, contentType?: string): SaEncoding {
  if (isValidUtf8(bytes)) return 'utf-8';
  for (const label of [declaredInHeader(contentType), declaredInXml(bytes)]) {
    const e = label === null ? null : saEncodingFromLabel(label);
    if (e !== null && e !== 'utf-8') return e;
  }
  return 'windows-1251';
}

export function decodeSaBody(bytes: Uint8Array, contentType?: string): { text: string; encoding: SaEncoding } {
  const encoding = detectSaEncoding(bytes, contentType);
  const text = encoding === 'utf-8' ? Buffer.from(bytes).toString('utf8') : iconv.decode(Buffer.from(bytes), encoding);
  return { text: text.replace(/^\uFEFF/, ''), encoding };
}

export function encodeSaBody(text: string, encoding: SaEncoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
}

/** The name to put in an XML declaration for an encoding. */
export const xmlEncodingName = (e: SaEncoding): string => (e === 'cp866' ? 'cp866' : e === 'koi8-r' ? 'KOI8-R' : e === 'utf-8' ? 'UTF-8' : 'windows-1251');

// Text ⇄ printer bytes for the selected character table. Epson selects PC866 (Cyrillic) with
// ESC t 17 (reference §4, TM-U220A manual); clones number their tables differently, so the table
// number is configuration. iconv-lite does the mapping (TextDecoder cannot encode); a character the
// table lacks prints as '?'.
import iconv from 'iconv-lite';

export interface CodePage {
  /** iconv-lite encoding name. */
  encoding: string;
  /** n in ESC t n for this printer model. */
  escposTable: number;
}

export const CP866_EPSON: CodePage = { encoding: 'cp866', escposTable: 17 };

export function encodeText(text: string, page: CodePage = CP866_EPSON): Uint8Array {
  // '₽' and '…' are not in CP866: spell them so a slip never shows '?' for a price.
  const printable = text.replace(/₽/g, 'р.').replace(/…/g, '...').replace(/[«»]/g, '"');
  return new Uint8Array(iconv.encode(printable, page.encoding));
}

export function decodeText(bytes: Uint8Array, page: CodePage = CP866_EPSON): string {
  return iconv.decode(Buffer.from(bytes), page.encoding);
}

export function isKnownEncoding(encoding: string): boolean { return iconv.encodingExists(encoding); }

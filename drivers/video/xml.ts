// The flat XML both video formats use: one root element holding simple child elements with text.
// escapeXml() makes any cleaned text safe as element content; parseFlatXml() is the receivers'
// strict reader (no attributes on children, no nesting, no DTD, no CDATA, only the five predefined
// entities and numeric references) so that a malformed or hostile frame is reported, not guessed at.
import { cleanText } from './text';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

/** A child element with cleaned, escaped content, or '' when the value is absent. */
export function element(name: string, value: string | number | null | undefined, maxChars = 200): string {
  if (value === null || value === undefined || value === '') return '';
  return `<${name}>${escapeXml(cleanText(String(value), maxChars))}</${name}>`;
}

export interface FlatXml {
  root: string;
  fields: Array<[string, string]>;
}

export class XmlFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlFrameError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function decodeEntities(text: string): string {
  return text.replace(/&(?:([A-Za-z]{1,8}|#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7});)?/g, (whole, name: string | undefined) => {
    switch (name) {
      case undefined: throw new XmlFrameError('bare & in text');
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    if (name.startsWith('#')) {
      const cp = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)) {
        return String.fromCodePoint(cp);
      }
    }
    throw new XmlFrameError(`invalid entity ${whole}`);
  });
}

/** Parses `<?xml …?>` (optional) + `<root>` with flat children. Throws XmlFrameError on anything else. */
export function parseFlatXml(frame: string): FlatXml {
  if (FORBIDDEN_CHARS.test(frame)) throw new XmlFrameError('control character in the frame');
  let rest = frame.trim();
  const prolog = /^<\?xml\s+version="1\.[0-9]"(\s+encoding="([A-Za-z0-9_-]+)")?\s*\?>/i.exec(rest);
  if (prolog) {
    if (prolog[2] && !/^utf-?8$/i.test(prolog[2])) throw new XmlFrameError(`unsupported encoding ${prolog[2]}`);
    rest = rest.slice(prolog[0].length).trim();
  }
  if (/^<!/.test(rest)) throw new XmlFrameError('DTD, comments and CDATA are not accepted');
  const open = /^<([A-Za-z_][A-Za-z0-9_.-]*)\s*>/.exec(rest);
  if (!open) throw new XmlFrameError('no root element');
  const root = open[1]!;
  const close = `</${root}>`;
  if (!rest.endsWith(close)) throw new XmlFrameError(`root <${root}> is not closed`);
  let body = rest.slice(open[0].length, rest.length - close.length);
  const fields: Array<[string, string]> = [];
  const child = /^\s*<([^\s>/]+)\s*>([^<]*)<\/([^\s>]+)\s*>/;
  const empty = /^\s*<([^\s>/]+)\s*\/>/;
  while (body.trim() !== '') {
    const m = child.exec(body);
    if (m) {
      const [whole, name, text, end] = m as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new XmlFrameError(`bad element name <${name.slice(0, 30)}>`);
      if (name !== end) throw new XmlFrameError(`<${name}> closed by </${end.slice(0, 30)}>`);
      fields.push([name, decodeEntities(text)]);
      body = body.slice(whole.length);
      continue;
    }
    const e = empty.exec(body);
    if (e && NAME.test(e[1]!)) {
      fields.push([e[1]!, '']);
      body = body.slice(e[0].length);
      continue;
    }
    throw new XmlFrameError(`unexpected content: ${body.trim().slice(0, 40)}`);
  }
  return { root, fields };
}

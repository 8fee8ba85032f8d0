// The SA XML documents: a flat root with <field id="NN">value</field> children (sa-fields.ts).
// Building escapes every value. Parsing is a small strict scanner for exactly this shape — not a
// general XML parser: no DOCTYPE, no custom entities (so no entity expansion attacks), bounded size
// and depth, one value per field id. Every failure is an SaXmlError; it never throws anything else.
import { SA_FIELD_ELEMENT, SA_TIMEOUT_ELEMENT } from './sa-fields';

export class SaXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaXmlError';
  }
}

export interface SaDocument {
  root: string;
  /** Field id (two digits at least: "0" is read as "00") → text. */
  fields: Map<string, string>;
  /** Other child elements (timeout, errorcode, …) → text. */
  elements: Map<string, string>;
}

export const MAX_SA_DOCUMENT_CHARS = 512 * 1024;
const MAX_FIELDS = 200;

const escapeXml = (v: string): string =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '');

export const normaliseFieldId = (id: string): string => (/^\d$/.test(id) ? `0${id}` : id);

export function buildSaDocument(root: string, fields: ReadonlyArray<readonly [string, string]>, o: { timeoutMs?: number; encodingName?: string; elements?: ReadonlyArray<readonly [string, string]> } = {}): string {
  const parts = [`<?xml version="1.0" encoding="${o.encodingName ?? 'UTF-8'}"?>`, `<${root}>`];
  for (const [id, value] of fields) parts.push(`<${SA_FIELD_ELEMENT} id="${escapeXml(id)}">${escapeXml(value)}</${SA_FIELD_ELEMENT}>`);
  for (const [name, value] of o.elements ?? []) parts.push(`<${name}>${escapeXml(value)}</${name}>`);
  if (o.timeoutMs !== undefined) parts.push(`<${SA_TIMEOUT_ELEMENT}>${Math.round(o.timeoutMs)}</${SA_TIMEOUT_ELEMENT}>`);
  parts.push(`</${root}>`);
  return parts.join('');
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&([^;&\s]{1,10});|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new SaXmlError('a bare "&" in text');
    if (name in NAMED) return NAMED[name]!;
    const num = /^#(?:x([0-9a-fA-F]{1,6})|(\d{1,7}))$/.exec(name);
    if (!num) throw new SaXmlError(`unknown entity ${whole}`);
    const code = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new SaXmlError(`bad character reference ${whole}`);
    return String.fromCodePoint(code);
  });
}

const TAG = /<(\/?)([A-Za-z_][\w.-]{0,40})((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTR = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;

interface Open { name: string; attrs: Map<string, string>; text: string }

/** Parses an SA document whose root must be `root`. */
export function parseSaDocument(xml: string, root: string): SaDocument {
  if (xml.length > MAX_SA_DOCUMENT_CHARS) throw new SaXmlError(`document too long (${xml.length} chars)`);
  const doc: SaDocument = { root: '', fields: new Map(), elements: new Map() };
  const stack: Open[] = [];
  let pos = 0;
  let seenRoot = false;
  const text = xml.replace(/^\uFEFF/, '');
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chunk = text.slice(pos, lt < 0 ? text.length : lt);
    if (chunk !== '') {
      if (stack.length === 0) {
        if (chunk.trim() !== '') throw new SaXmlError('text outside the root element');
      } else stack[stack.length - 1]!.text += decodeEntities(chunk);
    }
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) throw new SaXmlError('unterminated comment');
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0 || stack.length === 0) throw new SaXmlError('bad CDATA section');
      stack[stack.length - 1]!.text += text.slice(pos + 9, end);
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<!', pos)) throw new SaXmlError('DOCTYPE and declarations are not accepted');
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0 || seenRoot) throw new SaXmlError('bad processing instruction');
      pos = end + 2;
      continue;
    }
    TAG.lastIndex = pos;
    const m = TAG.exec(text);
    if (!m) throw new SaXmlError(`malformed tag at ${pos}: ${JSON.stringify(text.slice(pos, pos + 30))}`);
    pos = TAG.lastIndex;
    const [, closing, name, attrText, selfClosing] = m as unknown as [string, string, string, string, string];
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new SaXmlError(`unexpected </${name}>`);
      close(doc, open, stack.length);
      continue;
    }
    if (stack.length === 0) {
      if (seenRoot) throw new SaXmlError('more than one root element');
      if (name !== root) throw new SaXmlError(`root element is <${name}>, expected <${root}>`);
      seenRoot = true;
      doc.root = name;
    } else if (stack.length >= 2) {
      throw new SaXmlError(`<${name}> nested too deep`);
    }
    const attrs = new Map<string, string>();
    for (const a of attrText.matchAll(ATTR)) attrs.set(a[1]!, decodeEntities(a[2] ?? a[3] ?? ''));
    const open: Open = { name, attrs, text: '' };
    if (selfClosing) close(doc, open, stack.length);
    else stack.push(open);
  }
  if (!seenRoot) throw new SaXmlError(`no <${root}> element`);
  if (stack.length > 0) throw new SaXmlError(`unclosed <${stack[stack.length - 1]!.name}>`);
  return doc;
}

function close(doc: SaDocument, el: Open, depth: number): void {
  if (depth !== 1) return; // the root itself
  const value = el.text.trim();
  if (el.name !== SA_FIELD_ELEMENT) {
    if (!doc.elements.has(el.name)) doc.elements.set(el.name, value);
    return;
  }
  const rawId = el.attrs.get('id');
  if (rawId === undefined || !/^\d{1,3}$/.test(rawId.trim())) throw new SaXmlError(`field without a numeric id (${JSON.stringify(rawId ?? null)})`);
  const id = normaliseFieldId(rawId.trim());
  if (doc.fields.has(id)) throw new SaXmlError(`field ${id} given twice`);
  if (doc.fields.size >= MAX_FIELDS) throw new SaXmlError('too many fields');
  doc.fields.set(id, value);
}

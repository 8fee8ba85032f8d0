import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeSaBody, detectSaEncoding } from '../../../../drivers/payment/inpas/body-encoding';
import { cleanMessage, cleanSlip, maskPan } from '../../../../drivers/payment/inpas/sa-fields';
import { cardOutcomeOf } from '../../../../drivers/payment/inpas/sa-response';
import { buildSaDocument, parseSaDocument, SaXmlError } from '../../../../drivers/payment/inpas/sa-xml';

const response = (inner: string) => parseSaDocument(`<?xml version="1.0" encoding="UTF-8"?><response>${inner}</response>`, 'response');

describe('SA XML', () => {
  it('builds a request with escaped values and a timeout', () => {
    const xml = buildSaDocument('request', [['00', '15000'], ['90', 'A<&>"\'B']], { timeoutMs: 600_000 });
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><request><field id="00">15000</field><field id="90">A&lt;&amp;&gt;&quot;&apos;B</field><timeout>600000</timeout></request>');
  });

  it('round-trips any field values', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.string({ maxLength: 40 })), { maxLength: 10 }), (pairs) => {
      const unique = [...new Map(pairs.map(([id, v]) => [String(id).padStart(2, '0'), v])).entries()];
      const doc = parseSaDocument(buildSaDocument('request', unique), 'request');
      for (const [id, v] of unique) expect(doc.fields.get(id)).toBe(v.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '').trim());
    }));
  });

  it('reads fields, one-digit ids, entities, CDATA, comments, self-closing fields and error elements', () => {
    const doc = response('\n  <field id="0">100</field><!-- c --><field id="4">643</field><field id="19">A &amp; B &#1040;&#x411;</field>'
      + '<field id="90"><![CDATA[<x>]]></field><field id="26"/><errorcode>7</errorcode>');
    expect(Object.fromEntries(doc.fields)).toEqual({ '00': '100', '04': '643', '19': 'A & B АБ', '90': '<x>', '26': '' });
    expect(doc.elements.get('errorcode')).toBe('7');
  });

  it.each([
    ['a DOCTYPE with entities (billion laughs)', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><response><field id="19">&b;</field></response>'],
    ['an external entity', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response><field id="19">&x;</field></response>'],
    ['an unknown entity', '<response><field id="19">&nbsp;</field></response>'],
    ['a bare ampersand', '<response><field id="19">A & B</field></response>'],
    ['an unclosed field', '<response><field id="39">1</response>'],
    ['mismatched tags', '<response><field id="39">1</feld></response>'],
    ['another root', '<request><field id="39">1</field></request>'],
    ['two roots', '<response></response><response></response>'],
    ['text outside the root', 'oops<response></response>'],
    ['a field without id', '<response><field>1</field></response>'],
    ['a non-numeric id', '<response><field id="x9">1</field></response>'],
    ['a field given twice', '<response><field id="39">1</field><field id="39">0</field></response>'],
    ['nesting too deep', '<response><field id="39"><b>1</b></field></response>'],
    ['an empty body', ''],
    ['a truncated body', '<?xml version="1.0"?><response><field id="39">1</fi'],
    ['a bad character reference', '<response><field id="19">&#0;</field></response>'],
    ['an oversized body', `<response>${'<field id="1">x</field>'.repeat(30_000)}</response>`],
  ])('refuses %s with SaXmlError', (_name, xml) => {
    expect(() => parseSaDocument(xml, 'response')).toThrow(SaXmlError);
  });

  it('never throws anything but SaXmlError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      for (const text of [s, `<response>${s}</response>`, `<response><field id="1">${s}</field></response>`]) {
        try { parseSaDocument(text, 'response'); } catch (error) { expect(error).toBeInstanceOf(SaXmlError); }
      }
    }));
  });
});

describe('SA response bodies in mixed encodings', () => {
  const body = (encoding: string, declared: string | null) =>
    iconv.encode(`${declared ? `<?xml version="1.0" encoding="${declared}"?>` : ''}<response><field id="19">Отмена не подтверждена</field></response>`, encoding);

  it.each([
    ['utf-8', null, undefined], ['utf-8', 'windows-1251', undefined],
    ['win1251', 'windows-1251', undefined], ['win1251', null, undefined], ['win1251', null, 'text/xml; charset=cp1251'],
    ['cp866', 'cp866', undefined], ['cp866', null, 'text/xml; charset=IBM866'], ['koi8-r', 'KOI8-R', 'text/xml'],
  ])('decodes %s declared as %s (header %s)', (encoding, declared, contentType) => {
    const { text } = decodeSaBody(body(encoding, declared), contentType);
    expect(parseSaDocument(text, 'response').fields.get('19')).toBe('Отмена не подтверждена');
  });

  it('prefers valid UTF-8 over a declaration that lies, and falls back to windows-1251', () => {
    expect(detectSaEncoding(Buffer.from('<?xml version="1.0" encoding="windows-1251"?><response>Ок</response>', 'utf8'))).toBe('utf-8');
    expect(detectSaEncoding(iconv.encode('<response>Ок</response>', 'win1251'), 'text/xml; charset=bogus')).toBe('windows-1251');
  });
});

describe('SA response meaning', () => {
  it('approves on 39=1 with cleaned fields and a masked PAN', () => {
    const doc = response('<field id="00">15000</field><field id="10">1234567890123456</field><field id="13">A12345</field>'
      + '<field id="14">999888777666</field><field id="19">ОДОБРЕНО^APPROVED.JPG~</field><field id="25">1</field><field id="39">1</field>'
      + '<field id="90">0xDF^^ЧЕК&#xD;&#xA;ИТОГ~</field>');
    expect(cardOutcomeOf(doc, '1', 15000)).toEqual({
      state: 'approved', slip: ['ЧЕК', 'ИТОГ'], amountKopecks: 15000, rrn: '999888777666', authCode: 'A12345',
      receiptNumber: null, terminalId: null, cardMasked: '****3456', cardType: null,
    });
  });
  it('declines on any other 39, with the host code and the text', () => {
    expect(cardOutcomeOf(response('<field id="15">51</field><field id="19">НЕТ СРЕДСТВ^DECLINED.JPG~</field><field id="39">0</field>'), '1', 1))
      .toEqual({ state: 'declined', code: '51', message: 'НЕТ СРЕДСТВ', slip: [] });
    expect(cardOutcomeOf(response('<errorcode>12</errorcode><errordescription>Нет связи</errordescription>'), '1', 1))
      .toMatchObject({ state: 'declined', code: '12', message: 'Нет связи' });
  });
  it('is unknown without field 39 or when the answer is about another operation', () => {
    expect(cardOutcomeOf(response('<field id="19">?</field>'), '1', 1).state).toBe('unknown');
    expect(cardOutcomeOf(response('<field id="25">26</field><field id="39">1</field>'), '1', 1).state).toBe('unknown');
  });
  it('cleans messages, slips and PANs', () => {
    expect(cleanMessage('ОПЕРАЦИЯ ОДОБРЕНА^APPROVED.JPG~')).toBe('ОПЕРАЦИЯ ОДОБРЕНА');
    expect(cleanSlip('0xDF^^СВЕРКА ИТОГОВ\r\n\r\nТЕРМИНАЛ: 1\r\nОТЧЕТ ЗАВЕРШЕН~')).toEqual(['СВЕРКА ИТОГОВ', '', 'ТЕРМИНАЛ: 1', 'ОТЧЕТ ЗАВЕРШЕН']);
    expect(maskPan('****1234')).toBe('****1234');
    expect(maskPan('2200000000001234')).toBe('****1234');
    expect(maskPan('1234')).toBe('1234');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { POS_EVENT_KINDS, type PosEvent } from '../../../src-main/services/pos-events/pos-event';
import { AXXON_FUNCTIONS, encodeAxxonText, parseAxxon } from '../../../drivers/video/axxon/codec';
import { decodeText, encodeText, terminatedFramer, VideoFrameError, type TextEncoding } from '../../../drivers/video/format';
import { VIDEO_FORMATS } from '../../../drivers/video/formats';
import { encodeTextfeedLine, parseTextfeed, TEXTFEED_NAME_MAX } from '../../../drivers/video/textfeed/codec';
import { encodeTrassir, parseTrassir, TRASSIR_TEXT_MAX } from '../../../drivers/video/trassir/codec';
import { everyKind, HOSTILE_NAMES, LONG_NAME, TARGET } from './events';

/** Splits one encoded event back into its messages the way a receiver does. */
function messages(protocol: 'trassir' | 'axxon' | 'textfeed', encoded: Buffer[], encoding: TextEncoding = 'utf-8'): string[] {
  return VIDEO_FORMATS[protocol].framer(encoding)(Buffer.concat(encoded));
}

function parseAll(protocol: 'trassir' | 'axxon' | 'textfeed', event: PosEvent, encoding: TextEncoding = 'utf-8') {
  const bytes = VIDEO_FORMATS[protocol].encode(event, { ...TARGET, encoding });
  const parts = messages(protocol, bytes, encoding);
  expect(parts.length).toBeGreaterThan(0);
  return parts.map((m) => VIDEO_FORMATS[protocol].parse(m));
}

describe('the event fixture', () => {
  it('covers every kind of POS event', () => {
    expect(new Set(everyKind().map((e) => e.kind))).toEqual(new Set(POS_EVENT_KINDS));
  });
});

describe.each(['trassir', 'axxon', 'textfeed'] as const)('%s encoder', (protocol) => {
  it('encodes every event kind into messages its receiver accepts', () => {
    for (const event of everyKind()) {
      const frames = parseAll(protocol, event);
      expect(frames.length, event.kind).toBeGreaterThan(0);
    }
  });

  it('keeps Cyrillic text intact', () => {
    const frames = everyKind().flatMap((e) => parseAll(protocol, e));
    const text = frames.map((f) => Object.values(f.fields).join(' ')).join('\n');
    expect(text).toContain('Молоко «Домик в деревне» 3,2%');
    expect(text).toContain('Иванова А.');
  });

  it('survives hostile names: escaped or cleaned, never a forged field, line or block', () => {
    for (const name of HOSTILE_NAMES) {
      for (const event of everyKind(name)) {
        const bytes = VIDEO_FORMATS[protocol].encode(event, TARGET);
        const parts = messages(protocol, bytes);
        const expected = protocol === 'trassir' && event.kind === 'payment' && event.changeKopecks > 0 ? 2
          : protocol === 'trassir' && (event.kind === 'receipt.closed' || event.kind === 'return.closed') ? 2 : 1;
        expect(parts, `${event.kind} with ${JSON.stringify(name)}`).toHaveLength(expected);
        for (const part of parts) {
          const parsed = VIDEO_FORMATS[protocol].parse(part);
          for (const value of Object.values(parsed.fields)) expect(value).not.toMatch(/[\u0000-\u001f\u007f]/);
        }
      }
    }
  });

  it('cuts very long names on a character boundary with an ellipsis', () => {
    for (const event of everyKind(LONG_NAME)) {
      const bytes = VIDEO_FORMATS[protocol].encode(event, TARGET);
      expect(Buffer.concat(bytes).length).toBeLessThan(4096);
      const text = Buffer.concat(bytes).toString('utf8');
      expect(text).not.toContain('\ufffd'); // no half of a surrogate pair
      for (const part of messages(protocol, bytes)) VIDEO_FORMATS[protocol].parse(part);
    }
  });

  it('never throws on any name (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
      for (const event of everyKind(name).slice(3, 7)) {
        for (const part of messages(protocol, VIDEO_FORMATS[protocol].encode(event, TARGET))) VIDEO_FORMATS[protocol].parse(part);
      }
    }), { numRuns: 200 });
  });
});

describe('TRASSIR DSSL XML', () => {
  const events = everyKind();
  const byKind = (kind: string) => events.find((e) => e.kind === kind)!;

  it('writes a position with quantity, unit price, amount in rubles, barcode and local date/time', () => {
    const [frame] = parseAll('trassir', byKind('line.added'));
    expect(frame!.type).toBe('POSNG_POSITION_ADD');
    expect(frame!.fields).toMatchObject({
      operation_id: '01936F7E-8C2A-7B1D-9E3F-4A5B6C7D8E9F', cashier: 'Иванова А.', date: '23/11/2026', time: '12:00:04',
      position: '1', quantity: '1', price_per_unit: '79.90', price: '79.90', barcode: '4601234567890', location: 'K-01',
    });
  });

  it('sends weighed goods as weight in kg and liquids as volume', () => {
    const added = events.filter((e) => e.kind === 'line.added');
    expect(parseAll('trassir', added[1]!)[0]!.fields).toMatchObject({ weight: '1.234', price: '185.10' });
    expect(parseAll('trassir', added[2]!)[0]!.fields).toMatchObject({ volume: '1.5', price: '135.00' });
  });

  it('sends the change and the receipt number as their own blocks', () => {
    const cash = events.filter((e) => e.kind === 'payment')[1]!;
    expect(parseAll('trassir', cash).map((f) => [f.type, f.fields['price']])).toEqual([['POSNG_PAYMENT_CASH', '157.01'], ['POSNG_RECEIPT_CHANGE', '42.99']]);
    expect(parseAll('trassir', byKind('receipt.closed')).map((f) => [f.type, f.fields['text'] ?? f.fields['price']]))
      .toEqual([['POSNG_RECEIPT_NUMBER', '42'], ['POSNG_RECEIPT_CLOSE', '257.01']]);
  });

  it('escapes markup in names instead of letting it close the block', () => {
    const xml = encodeTrassir({ ...byKind('line.added'), line: { ...(byKind('line.added') as Extract<PosEvent, { kind: 'line.added' }>).line, name: '</text></transaction>&' } } as PosEvent, TARGET);
    expect(xml).toContain('<text>&lt;/text&gt;&lt;/transaction&gt;&amp;</text>');
    expect(parseAll('trassir', { ...byKind('line.added'), line: { ...(byKind('line.added') as Extract<PosEvent, { kind: 'line.added' }>).line, name: '</text></transaction>&' } } as PosEvent)[0]!.fields['text'])
      .toBe('</text></transaction>&');
  });

  it(`truncates product text to ${TRASSIR_TEXT_MAX} characters`, () => {
    const [frame] = parseAll('trassir', everyKind(LONG_NAME)[3]!);
    expect(Array.from(frame!.fields['text']!)).toHaveLength(TRASSIR_TEXT_MAX);
    expect(frame!.fields['text']!.endsWith('…')).toBe(true);
  });

  it('refuses malformed or foreign blocks with a reason', () => {
    const good = encodeTrassir(byKind('receipt.opened'), TARGET);
    const bad: Array<[string, RegExp]> = [
      [good.replace('POSNG_RECEIPT_OPEN', 'POSNG_NOPE'), /unknown event_type/],
      [good.replace('<date>23/11/2026</date>', '<date>2026-11-23</date>'), /dd\/mm\/yyyy/],
      [good.replace('<location>', '<evil>x</evil><location>'), /unknown field/],
      [good.replace('</transaction>', ''), /not closed/],
      [good.replace('Чек', 'Чек & Co'), /bare &/],
      [good.replace('Чек', '&xxe;'), /invalid entity/],
      ['<!DOCTYPE x><transaction></transaction>', /DTD/],
      ['garbage', /no root/],
      [good.replace('<cashier>Иванова А.</cashier>', ''), /no cashier/],
    ];
    for (const [frame, reason] of bad) expect(() => parseTrassir(frame), frame).toThrow(reason);
  });
});

describe('Axxon TransactionBlock', () => {
  it('sends FunctionNumber, a UTC timestamp with milliseconds, the terminal and CRLF-separated elements', () => {
    const event = everyKind()[3]!;
    const text = encodeAxxonText(event, TARGET);
    expect(text.startsWith('<TransactionBlock>\r\n<FunctionNumber>2</FunctionNumber>\r\n<TransactionTimestamp>2026-11-23T09:00:04.000</TransactionTimestamp>\r\n')).toBe(true);
    expect(text.endsWith('\r\n</TransactionBlock>\r\n')).toBe(true);
    const frame = parseAxxon(text);
    expect(frame.fields).toMatchObject({ TerminalId: 'K-01', cash_number: 'K-01', camera: '3', item_name: 'Молоко «Домик в деревне» 3,2%',
      item_price: '79.90', item_quantity: '1', user_name: 'Иванова А.', shift_number: '7', receipt_number: '6C7D8E9F' });
  });

  it('gives every kind its own FunctionNumber', () => {
    const codes = Object.values(AXXON_FUNCTIONS).map((f) => f.code);
    expect(new Set(codes).size).toBe(POS_EVENT_KINDS.length);
  });

  it('marks cancelled and delayed receipts with result 1 and 2, card entry with enter_type', () => {
    const events = everyKind();
    expect(parseAxxon(encodeAxxonText(events.find((e) => e.kind === 'receipt.cancelled')!, TARGET)).fields['result']).toBe('1');
    expect(parseAxxon(encodeAxxonText(events.find((e) => e.kind === 'receipt.parked')!, TARGET)).fields['result']).toBe('2');
    expect(parseAxxon(encodeAxxonText(events.find((e) => e.kind === 'card.applied')!, TARGET)).fields).toMatchObject({ card_number: '2775****1234', enter_type: '4' });
  });

  it('refuses a block without FunctionNumber, with a bad timestamp, or with LF-only lines', () => {
    const good = encodeAxxonText(everyKind()[2]!, TARGET);
    expect(() => parseAxxon(good.replace(/<FunctionNumber>1<\/FunctionNumber>\r\n/, ''))).toThrow(/FunctionNumber/);
    expect(() => parseAxxon(good.replace('2026-11-23T09:00:03.000', '23.11.2026'))).toThrow(/TransactionTimestamp/);
    expect(() => parseAxxon(good.replace(/\r\n/g, '\n'))).toThrow(/CRLF/);
    expect(() => parseAxxon(good.replace('<FunctionNumber>1', '<FunctionNumber>999'))).toThrow(/agreed table/);
  });

  it.each(['windows-1251', 'cp866'] as const)('encodes Cyrillic in %s when the server wants it', (encoding) => {
    const [frame] = parseAll('axxon', everyKind()[3]!, encoding);
    expect(frame!.fields['item_name']).toBe('Молоко «Домик в деревне» 3,2%'.replace(/[«»]/g, (c) => (encoding === 'cp866' ? '?' : c)));
  });
});

describe('plain-text receipt feed', () => {
  it('writes fixed markers first, then time, terminal, camera and cashier', () => {
    const lines = everyKind().map((e) => encodeTextfeedLine(e, TARGET));
    expect(lines[2]).toBe('*** ЧЕК 6C7D8E9F ОТКРЫТ *** | 23.11.2026 12:00:03 | КАССА K-01 | КАМЕРА 3 | КАССИР Иванова А.\r\n');
    expect(lines[3]).toBe('ТОВАР 1: Молоко «Домик в деревне» 3,2% | ШК 4601234567890 | 1 x 79,90 = 79,90 | 23.11.2026 12:00:04 | КАССА K-01 | КАМЕРА 3 | КАССИР Иванова А.\r\n');
    expect(lines[4]).toContain('ТОВАР 2: Молоко «Домик в деревне» 3,2% (вес) | ШК - | 1,234 кг x 150,00 = 185,10');
    expect(lines[8]).toMatch(/^СТОРНО 3: .* = 135,00 \| ПОДТВЕРДИЛ Петрова Б\. \|/);
    expect(lines[11]).toMatch(/^ДИСК\.КАРТА 2775\*\*\*\*1234 \|/);
    expect(lines[18]).toMatch(/^\*\*\* ЧЕК 6C7D8E9F ЗАКРЫТ \*\*\* №42 ИТОГ 257,01 \|/);
    expect(lines[21]).toMatch(/^\*\*\* ВОЗВРАТ 6C7D8E91 ОТКРЫТ \*\*\* ПО ЧЕКУ №42 \|/);
  });

  it('cannot be made to forge a marker line or a field by a name', () => {
    const line = encodeTextfeedLine(everyKind(HOSTILE_NAMES[2]!)[3]!, TARGET);
    expect(line.match(/\r\n/g)).toHaveLength(1);
    expect(line.startsWith('ТОВАР 1: Вода *** ЧЕК 00000001 ЗАКРЫТ *** №1 ИТОГ 0,00 / 01.01.2026 00:00:00 / КАССА 99 |')).toBe(true);
    expect(parseTextfeed(line).fields['terminal']).toBe('K-01');
  });

  it(`cuts names to ${TEXTFEED_NAME_MAX} characters`, () => {
    const frame = parseTextfeed(encodeTextfeedLine(everyKind(LONG_NAME)[3]!, TARGET));
    const name = /^ТОВАР 1: (.*?) \| ШК/.exec(frame.fields['text']!)![1]!;
    expect(Array.from(name)).toHaveLength(TEXTFEED_NAME_MAX);
  });

  it('omits the camera when the sink has none', () => {
    expect(encodeTextfeedLine(everyKind()[2]!, { ...TARGET, camera: null })).not.toContain('КАМЕРА');
  });

  it('refuses unknown markers and lines without the trailer', () => {
    expect(() => parseTextfeed('ПРИВЕТ | 23.11.2026 12:00:00 | КАССА 1\r\n')).toThrow(VideoFrameError);
    expect(() => parseTextfeed('ТОВАР 1: x\r\n')).toThrow(/trailer/);
    expect(() => parseTextfeed('ТОВАР 1: x | 23.11.2026 12:00:00 | КАССА 1')).toThrow(/CRLF/);
  });
});

describe('framing', () => {
  it('reassembles messages split at every byte, including inside a Cyrillic character', () => {
    const bytes = Buffer.concat(everyKind().flatMap((e) => VIDEO_FORMATS.textfeed.encode(e, TARGET)));
    const framer = terminatedFramer('\r\n', 'utf-8');
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...framer(bytes.subarray(i, i + 1)));
    expect(out).toHaveLength(everyKind().length);
    expect(out.join('')).toBe(bytes.toString('utf8'));
  });

  it('round-trips text through the legacy code pages', () => {
    for (const encoding of ['windows-1251', 'cp866'] as const) expect(decodeText(encodeText('Чек №5 ИТОГ', encoding), encoding)).toBe('Чек №5 ИТОГ');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUtf8 } from 'node:buffer';
import { documentRanges, documentsText, readBatchBody } from '../src/batch-body';
import { HqError } from '../src/errors';

const read = (text: string) => readBatchBody(Buffer.from(text, 'utf8'));
const texts = (text: string) => documentsText(read(text)).toString('utf8').split('\u001e');
const refusal = (text: string | Buffer) => {
  try {
    readBatchBody(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  } catch (error) {
    return error instanceof HqError ? `${error.status} ${error.message}` : String(error);
  }
  return 'accepted';
};

describe('reading an ingest body document by document', () => {
  it('gives each document parsed and as its own text, byte for byte, in order', () => {
    const docs = [{ id: 'a', payload: { n: 1, lines: [{ x: [1, 2] }] } }, { id: 'b', payload: {} }, { id: 'c', payload: [] }];
    const body = JSON.stringify({ documents: docs });
    expect(read(body).items).toEqual(docs);
    expect(texts(body)).toEqual(docs.map((d) => JSON.stringify(d)));
  });

  it('is not fooled by braces, brackets, quotes and backslashes inside strings, nor by whitespace between tokens', () => {
    const tricky = ['{', '}', '[', ']', '"', '\\', '\\"', '"}]', 'Молоко 2,5% «Домик»', '\u0000\u001f', '\\\\', 'a\\', ',', ':'];
    const docs = tricky.map((s, i) => ({ id: `d${i}`, payload: { [s]: s, nested: { s, list: [s, { s }] } } }));
    const body = `\n { "documents" :\t[ ${docs.map((d) => JSON.stringify(d, null, 2)).join(' ,\r\n')} ] } \n`;
    expect(read(body).items).toEqual(docs);
    expect(texts(body)).toEqual(docs.map((d) => JSON.stringify(d, null, 2)));
  });

  it('reads a body written another way as JSON.parse does, and still finds each text', () => {
    // An escaped key and a repeated key: the last documents array counts, as in JSON.parse.
    const escaped = '{"\\u0064ocuments":[{"id":"x"}]}';
    expect(read(escaped).items).toEqual([{ id: 'x' }]);
    expect(texts(escaped)).toEqual(['{"id":"x"}']);
    const repeated = '{"documents":[{"id":"old"}],"documents":[{"id":"new"},{"id":"newer"}]}';
    expect(read(repeated).items).toEqual([{ id: 'new' }, { id: 'newer' }]);
    expect(texts(repeated)).toEqual(['{"id":"new"}', '{"id":"newer"}']);
    const notObjects = '{"documents":[1,"two",null]}';
    expect(read(notObjects).items).toEqual([1, 'two', null]);
    expect(read('{"documents":[]}').items).toEqual([]);
  });

  it('refuses what JSON.parse refuses, whichever way the body is read', () => {
    for (const bad of [
      '{"documents":[{"id":"a"} {"id":"b"}]}', '{"documents":[{"id":"a"},]}', '{"documents":[{"id":"a"}]', '{"documents":[{"id":"a"}]} x',
      '{"documents":[{"id":"a"]}]}', '{"documents":[{"id":"a}]}', '{"documents":[{"id":\'a\'}]}', '\ufeff{"documents":[]}',
      '{"documents":[{"id":"a\u0001"}]}', '{"documents":[{"id":01}]}', '',
    ]) {
      expect(refusal(bad), bad).toBe('400 the body is not valid JSON');
    }
    expect(refusal('{"documents":{}}')).toBe('400 the body must be {"documents":[…]}');
    expect(refusal('{"documents":[],"other":1}')).toBe('400 the body must be {"documents":[…]}');
    expect(refusal(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toBe('400 the body is not valid UTF-8');
  });

  it('finds the documents of a body that is valid JSON without reading the envelope', () => {
    const body = Buffer.from('{"documents":[{"id":"a"},{"id":"b"}]}');
    expect(documentRanges(body)).toEqual([[14, 24], [25, 35]]);
  });

  it('agrees with JSON.parse of the whole body on any body, valid or damaged (property)', () => {
    /** What the head office did before: parse the whole text, then check the shape. */
    const reference = (bytes: Buffer): unknown[] | 'refused' => {
      try {
        const value = JSON.parse(bytes.toString('utf8')) as unknown;
        const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
        const docs = (value as { documents?: unknown }).documents;
        return keys.length === 1 && keys[0] === 'documents' && Array.isArray(docs) ? docs : 'refused';
      } catch {
        return 'refused';
      }
    };
    const document = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue());
    const body = fc.tuple(fc.array(document, { maxLength: 6 }), fc.constantFrom(undefined, 1, '\t', ' \r\n'))
      .map(([docs, indent]) => Buffer.from(JSON.stringify({ documents: docs }, null, indent), 'utf8'));
    const damaged = fc.tuple(body, fc.nat(), fc.integer({ min: 0, max: 255 }))
      .map(([b, at, byte]) => { const copy = Buffer.from(b); if (copy.length > 0) copy[at % copy.length] = byte; return copy; });
    fc.assert(fc.property(fc.oneof(body, damaged), (bytes) => {
      const expected = reference(bytes);
      let got: unknown[] | 'refused';
      try {
        const batch = readBatchBody(bytes);
        got = batch.items;
        if (batch.items.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d))) {
          const split = batch.items.length === 0 ? [] : documentsText(batch).toString('utf8').split('\u001e');
          expect(split.map((t) => JSON.parse(t) as unknown)).toEqual(batch.items);
        }
      } catch (error) {
        if (!(error instanceof HqError) || error.status !== 400) throw error;
        got = 'refused';
      }
      // A byte that breaks UTF-8 is refused here even where JSON.parse would read U+FFFD.
      if (got === 'refused' && expected !== 'refused' && !isUtf8(bytes)) return;
      expect(got).toEqual(expected);
    }), { numRuns: 3000 });
  });
});

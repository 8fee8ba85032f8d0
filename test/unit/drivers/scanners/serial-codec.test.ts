import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAim, symbologyOfAim } from '../../../../drivers/scanners/aim';
import { SerialScanFramer, type FramedScan, type SerialScanFormat } from '../../../../drivers/scanners/serial/codec';

const GS = '\u001d';
const MARK = `0104601234567890215abcdefghijk${GS}91EE07${GS}92ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789abcd`;
const bytes = (s: string) => new TextEncoder().encode(s);
const run = (format: SerialScanFormat, ...chunks: string[]): FramedScan[] => {
  const f = new SerialScanFramer(format);
  return chunks.flatMap((c) => f.push(bytes(c)));
};

describe('AIM identifiers', () => {
  it('split off the data and name the symbology', () => {
    expect(splitAim(`]d2${MARK}`)).toEqual({ aim: ']d2', code: MARK });
    expect(splitAim('4601234567893')).toEqual({ aim: null, code: '4601234567893' });
    expect(symbologyOfAim(']d2')).toBe('gs1-datamatrix');
    expect(symbologyOfAim(']E0')).toBe('ean-13');
    expect(symbologyOfAim(']Q7')).toBe('qr');
    expect(symbologyOfAim(']!0')).toBeNull();
  });
});

describe('the serial scanner framer', () => {
  it('passes a marking code verbatim, GS separators and AIM identifier included', () => {
    expect(run({ suffix: 'cr' }, `]d2${MARK}\r`)).toEqual([{ kind: 'scan', code: MARK, aim: ']d2', symbology: 'gs1-datamatrix' }]);
  });

  it('joins a code split across chunks and separates codes in one chunk', () => {
    expect(run({ suffix: 'crlf' }, '46012', '34567893\r', '\n4601234567894\r\n').map((s) => s.kind === 'scan' && s.code))
      .toEqual(['4601234567893', '4601234567894']);
  });

  it('tolerates a CRLF scanner on a CR setting and a CRLF scanner on an LF setting', () => {
    expect(run({ suffix: 'cr' }, 'A1\r\nB2\r\n').map((s) => s.kind === 'scan' && s.code)).toEqual(['A1', 'B2']);
    expect(run({ suffix: 'lf' }, 'A1\r\nB2\r\n').map((s) => s.kind === 'scan' && s.code)).toEqual(['A1', 'B2']);
  });

  it('strips a prefix and reports a code without it', () => {
    const prefix = Uint8Array.of(0x02);
    expect(run({ suffix: 'cr', prefix }, '\u0002ABC\r')).toMatchObject([{ kind: 'scan', code: 'ABC' }]);
    expect(run({ suffix: 'cr', prefix }, 'ABC\r')).toMatchObject([{ kind: 'fault', fault: 'no-prefix' }]);
  });

  it('never merges a partial code with the next one when a prefix marks starts', () => {
    const out = run({ suffix: 'cr', prefix: bytes('@@') }, '@@46012', '@@4601234567893\r');
    expect(out).toMatchObject([{ kind: 'fault', fault: 'partial' }, { kind: 'scan', code: '4601234567893' }]);
  });

  it('reports a code cut short by silence as partial, and ends a suffix-less code at the pause', () => {
    const f = new SerialScanFramer({ suffix: 'cr' });
    expect(f.push(bytes('4601'))).toEqual([]);
    expect(f.idle()).toMatchObject([{ kind: 'fault', fault: 'partial' }]);
    expect(f.push(bytes('4601234567893\r'))).toMatchObject([{ kind: 'scan', code: '4601234567893' }]);
    const none = new SerialScanFramer({ suffix: 'none' });
    expect(none.push(bytes(`]C1${MARK}`))).toEqual([]);
    expect(none.idle()).toMatchObject([{ kind: 'scan', code: MARK, aim: ']C1', symbology: 'gs1-128' }]);
  });

  it('rejects an overlong code and everything up to its suffix, then reads on', () => {
    const out = run({ suffix: 'cr', maxLength: 20 }, `${'9'.repeat(30)}`, `${'8'.repeat(10)}\rOK1\r`);
    expect(out).toMatchObject([{ kind: 'fault', fault: 'overlong' }, { kind: 'scan', code: 'OK1' }]);
  });

  it('turns control bytes and broken UTF-8 into garbage faults, keeping valid UTF-8 text', () => {
    const f = new SerialScanFramer({ suffix: 'cr' });
    expect(f.push(Uint8Array.of(0x41, 0x01, 0x42, 0x0d))).toMatchObject([{ kind: 'fault', fault: 'garbage' }]);
    expect(f.push(Uint8Array.of(0xc3, 0x28, 0x0d))).toMatchObject([{ kind: 'fault', fault: 'garbage' }]);
    expect(f.push(bytes('Привет\r'))).toMatchObject([{ kind: 'scan', code: 'Привет' }]);
    expect(run({ suffix: 'cr', aim: 'required' }, 'ABC\r')).toMatchObject([{ kind: 'fault', fault: 'no-aim' }]);
  });

  it('never throws on arbitrary bytes and never emits a code holding a terminator or a control byte', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 10 }), fc.constantFrom('cr', 'lf', 'crlf', 'none' as const), (chunks, suffix) => {
      const f = new SerialScanFramer({ suffix, maxLength: 64 });
      const out = [...chunks.flatMap((c) => f.push(c)), ...f.idle()];
      for (const o of out) {
        if (o.kind === 'scan') expect(/[\u0000-\u0003\u0005-\u001c\u001f\u007f]/.test(o.code)).toBe(false);
      }
    }), { numRuns: 300 });
  });
});

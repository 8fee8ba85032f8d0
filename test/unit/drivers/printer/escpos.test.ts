import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CP866_EPSON, decodeText, encodeText } from '../../../../drivers/printer/escpos/code-page';
import { EscPosEncoder } from '../../../../drivers/printer/escpos/encoder';
import { EscPosParser } from '../../../../drivers/printer/escpos/parser';
import {
  decodeOfflineCause, decodePaperSensor, decodePaperSync, decodePrinterStatus, encodeOfflineCause, encodePaperSensor,
  encodePaperSync, encodePrinterStatus, isRealtimeStatusByte, isTransmitStatusByte, statusQuery,
} from '../../../../drivers/printer/escpos/status';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('CP866 text', () => {
  it('encodes Cyrillic to the PC866 table and back', () => {
    expect(hex(encodeText('АЯаяЁё'))).toBe('809fa0eff0f1');
    expect(decodeText(encodeText('Итого: 123,45 ₽'))).toBe('Итого: 123,45 р.');
    expect(CP866_EPSON.escposTable).toBe(17);
  });
});

describe('the ESC/POS encoder', () => {
  it('builds init, code page, styles, text, feed, cut and a drawer pulse', () => {
    const bytes = new EscPosEncoder().initialize().codePage().bold(true).size(2, 2).align('center').line('Чек').feed(3).cut('partial').pulse(2, 100, 200).encode();
    expect(hex(bytes)).toBe('1b40' + '1b7411' + '1b4501' + '1d2111' + '1b6101' + '97a5aa' + '0a' + '1b6403' + '1d564200' + '1b700032' + '64');
    expect(hex(new EscPosEncoder().pulse(5, 2, 10_000).encode())).toBe('1b700101ff');
  });
});

describe('DLE EOT status bytes', () => {
  it('carry the fixed pattern 0xx1xx10 and decode each flag', () => {
    expect(hex(statusQuery(4))).toBe('100404');
    for (const b of [encodePrinterStatus({ drawerPin3High: true, offline: true }), encodeOfflineCause({ coverOpen: true, paperEndStop: true, error: false }), encodePaperSensor({ nearEnd: true, out: true })]) {
      expect(isRealtimeStatusByte(b)).toBe(true);
    }
    expect(decodePrinterStatus(0x16)).toEqual({ drawerPin3High: true, offline: false });
    expect(decodePrinterStatus(0x1a)).toEqual({ drawerPin3High: false, offline: true });
    expect(decodeOfflineCause(0x32)).toMatchObject({ coverOpen: false, paperEndStop: true });
    expect(decodeOfflineCause(0x16)).toMatchObject({ coverOpen: true });
    expect(decodePaperSensor(0x1e)).toEqual({ nearEnd: true, out: false });
    expect(decodePaperSensor(0x72)).toEqual({ nearEnd: false, out: true });
    expect(isRealtimeStatusByte(0x00)).toBe(false);
    expect(isRealtimeStatusByte(0xff)).toBe(false);
  });

  it('tell GS r answers from real-time ones', () => {
    const b = encodePaperSync({ nearEnd: false, out: true });
    expect(isTransmitStatusByte(b)).toBe(true);
    expect(isRealtimeStatusByte(b)).toBe(false);
    expect(decodePaperSync(b)).toEqual({ nearEnd: false, out: true });
  });
});

describe('the ESC/POS stream parser', () => {
  it('reads back what the encoder wrote, across any chunking', () => {
    const bytes = new EscPosEncoder().initialize().codePage().line('Привет').cut().pulse().raw(0x10, 0x04, 0x01).encode();
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const p = new EscPosParser();
      const actions = [];
      for (let i = 0; i < bytes.length; i += size) actions.push(...p.push(bytes.subarray(i, i + size)));
      const text = actions.filter((a) => a.kind === 'text').map((a) => decodeText(a.bytes)).join('');
      expect(text).toBe('Привет');
      expect(actions.filter((a) => a.kind === 'command').map((a) => a.name)).toEqual(['initialize', 'code-page', 'cut', 'pulse']);
      expect(actions.filter((a) => a.kind === 'status-query')).toEqual([{ kind: 'status-query', n: 1 }]);
    }
  });

  it('skips unknown commands without losing the text after them', () => {
    const out = new EscPosParser().push(Uint8Array.of(0x1b, 0x99, 0x41, 0x0a));
    expect(out).toEqual([{ kind: 'unknown', bytes: [0x1b, 0x99] }, { kind: 'text', bytes: Uint8Array.of(0x41) }, { kind: 'newline' }]);
  });

  it('never throws on garbage', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 10 }), (chunks) => {
      const p = new EscPosParser();
      for (const c of chunks) p.push(c);
    }), { numRuns: 300 });
  });
});

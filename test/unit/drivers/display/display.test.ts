import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeText } from '../../../../drivers/printer/escpos/code-page';
import { cursorTo, DISPLAY_CMD, selectTable } from '../../../../drivers/display/escpos/codec';
import { DisplayScreen } from '../../../../drivers/display/escpos/screen';
import { formatRoubles, itemScreen, splitLine, totalScreen } from '../../../../drivers/display/layout';

describe('the customer display layout', () => {
  it('shows an item\'s name and price in two 20-character lines, cutting the name, never the price', () => {
    expect(itemScreen('Молоко 3,2% 1л', 8_990)).toEqual(['Молоко 3,2% 1л      ', '               89,90']);
    const [name, price] = itemScreen('Сыр российский весовой высшего сорта', 123_456, { quantityText: '0,456' });
    expect(name).toBe('Сыр российский весов');
    expect(price).toBe('0,456 x      1234,56');
    expect(splitLine('очень длинное название товара', '99999999,99')).toBe('очень дл 99999999,99');
  });

  it('shows ИТОГО with the total', () => {
    expect(totalScreen(1_234_550, { second: 'Спасибо!' })).toEqual(['ИТОГО       12345,50', 'Спасибо!            ']);
    expect(formatRoubles(-5)).toBe('-0,05');
  });

  it('always gives exactly 20 characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), fc.integer({ min: -1e12, max: 1e12 }), (name, kop) => {
      for (const l of [...itemScreen(name, kop), ...totalScreen(kop)]) expect([...l].length).toBe(20);
    }));
  });
});

describe('the display screen model', () => {
  it('follows init, table select, cursor moves and CP866 text', () => {
    const s = new DisplayScreen();
    s.push(Uint8Array.of(...DISPLAY_CMD.initialize, ...DISPLAY_CMD.overwriteMode, ...selectTable(17)));
    s.push(Uint8Array.of(...cursorTo(1, 2), ...encodeText('ИТОГО')));
    s.push(Uint8Array.of(...cursorTo(1, 1), ...encodeText('Хлеб')));
    expect(s.lines()).toEqual(['Хлеб'.padEnd(20), 'ИТОГО'.padEnd(20)]);
    s.push(DISPLAY_CMD.clear);
    expect(s.lines()).toEqual([' '.repeat(20), ' '.repeat(20)]);
  });

  it('waits for a split command and survives garbage', () => {
    const s = new DisplayScreen();
    s.push(Uint8Array.of(0x1f, 0x24));
    s.push(Uint8Array.of(5, 2, 0x41));
    expect(s.lines()[1]).toBe('    A'.padEnd(20));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => { new DisplayScreen().push(b); }));
  });
});

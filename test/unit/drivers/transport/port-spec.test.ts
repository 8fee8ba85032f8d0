import { describe, expect, it } from 'vitest';
import { formatPortSpec, parsePortSpec } from '../../../../drivers/transport/port-spec';
import { frameName, lineBitsPerByte, parseFrameName, resolveSerialLine } from '../../../../drivers/transport/serial-line';

describe('serial line settings', () => {
  it('default to 8N1 under the protocol defaults and the given values', () => {
    expect(resolveSerialLine({})).toEqual({ baudRate: 9_600, dataBits: 8, parity: 'none', stopBits: 1 });
    expect(resolveSerialLine({ parity: 'odd' }, { baudRate: 9_600, dataBits: 7, parity: 'even' }))
      .toEqual({ baudRate: 9_600, dataBits: 7, parity: 'odd', stopBits: 1 });
  });

  it('refuse what serialport would refuse or misread', () => {
    expect(() => resolveSerialLine({ dataBits: 6 as never })).toThrow(/data bits/);
    expect(() => resolveSerialLine({ parity: 'evn' as never })).toThrow(/parity/);
    expect(() => resolveSerialLine({ stopBits: 1.5 as never })).toThrow(/stop bits/);
    expect(() => resolveSerialLine({ baudRate: 12.5 })).toThrow(/baud/);
  });

  it('name frames the way manuals do and count their bits', () => {
    const l = resolveSerialLine({ dataBits: 7, parity: 'even' });
    expect(frameName(l)).toBe('7E1');
    expect(lineBitsPerByte(l)).toBe(10);
    expect(lineBitsPerByte(resolveSerialLine({ stopBits: 2 }))).toBe(11);
    expect(lineBitsPerByte(resolveSerialLine({ parity: 'odd', stopBits: 2 }))).toBe(12);
    expect(parseFrameName('8n2')).toEqual({ dataBits: 8, parity: 'none', stopBits: 2 });
    expect(parseFrameName('9N1')).toBeNull();
  });
});

describe('port specs', () => {
  it('read a bare path, line settings in the query, a frame name, and tcp', () => {
    expect(parsePortSpec('/dev/ttyS0')).toEqual({ kind: 'serial', path: '/dev/ttyS0', line: {} });
    expect(parsePortSpec('/dev/ttyS0?baud=9600&bits=7&parity=even&stop=1'))
      .toEqual({ kind: 'serial', path: '/dev/ttyS0', line: { baudRate: 9_600, dataBits: 7, parity: 'even', stopBits: 1 } });
    expect(parsePortSpec('COM3?frame=8N2&baud=115200')).toEqual({ kind: 'serial', path: 'COM3', line: { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 2 } });
    expect(parsePortSpec('/dev/ttyUSB0?parity=o')).toMatchObject({ line: { parity: 'odd' } });
    expect(parsePortSpec('tcp://10.0.0.5:9100')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 9_100 });
  });

  it('refuse unknown and malformed parameters instead of ignoring them', () => {
    for (const bad of ['', '?baud=9600', '/dev/x?baud=fast', '/dev/x?bits=9', '/dev/x?parity=maybe', '/dev/x?stop=3', '/dev/x?speed=9600', '/dev/x?frame=7X1', 'tcp://nohost']) {
      expect(() => parsePortSpec(bad), bad).toThrow();
    }
  });

  it('round-trip through their text form', () => {
    for (const text of ['/dev/ttyS0', '/dev/ttyS0?baud=9600&bits=7&parity=even&stop=1', 'tcp://h:1']) {
      expect(formatPortSpec(parsePortSpec(text))).toBe(text);
    }
  });
});

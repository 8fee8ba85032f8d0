import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandArgs, isSafeRrn, newRequestId } from '../../../../drivers/payment/upos/commands';
import { judgeRun } from '../../../../drivers/payment/upos/outcome';
import { parseResultFile, ResultFileError } from '../../../../drivers/payment/upos/result-file';
import { parseSlip } from '../../../../drivers/payment/upos/slip-file';
import { decodeUposText, encodeUposText, UPOS_ENCODINGS } from '../../../../drivers/payment/upos/text-encoding';

// The approved file from SetRetail's unit test (the layout's best public evidence), as sb_pilot writes it.
const APPROVED = ['0,ОДОБРЕНО', '546999******4617', '08/18', '22H728', '0030', 'Mastercard', '1', '00689949', '20180425095917',
  '152463956160', '7E6AF16464E06845EE2EADF902E4EAE63D68F35A', '', '0', '684444445555', '00', '00', '', '3', '', 'FB98B5D4', '00040005'].join('\r\n') + '\r\n';

describe('sb_pilot result file `e`', () => {
  it('reads every field of an approved operation', () => {
    expect(parseResultFile(APPROVED)).toMatchObject({
      code: 0, text: 'ОДОБРЕНО', cardMasked: '546999******4617', cardExpiry: '08/18', authCode: '22H728', operationNumber: '0030',
      cardType: 'Mastercard', terminalId: '00689949', dateTime: '20180425095917', rrn: '152463956160', merchantId: '684444445555',
      requestId: 'FB98B5D4', complete: true,
    });
  });

  it('reads a refusal with or without its text', () => {
    expect(parseResultFile('4451,НЕДОСТАТОЧНО СРЕДСТВ\n')).toMatchObject({ code: 4451, text: 'НЕДОСТАТОЧНО СРЕДСТВ', rrn: null, complete: true });
    expect(parseResultFile('5678,\n')).toMatchObject({ code: 5678, text: '' });
    expect(parseResultFile('5678\n')).toMatchObject({ code: 5678, text: '' });
    expect(parseResultFile('2000,ОПЕРАЦИЯ, ПРЕРВАНА\n').text).toBe('ОПЕРАЦИЯ, ПРЕРВАНА');
  });

  it('marks a file cut short as incomplete', () => {
    expect(parseResultFile(APPROVED.slice(0, 40)).complete).toBe(false);
    expect(parseResultFile('0,ОДОБРЕНО\r\n546999******4617\r\n08/18\r\n').complete).toBe(false);
    expect(parseResultFile('4451,ОТКАЗ').complete).toBe(false);
  });

  it.each([[''], ['   \n'], ['ОДОБРЕНО\n'], ['\u0000\u0001\u00ff'], ['12345678,too long a code\n'], ['x'.repeat(20_000)]])('refuses garbage %#', (text) => {
    expect(() => parseResultFile(text)).toThrow(ResultFileError);
  });

  it('never throws anything but ResultFileError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      try {
        parseResultFile(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ResultFileError);
      }
    }));
  });

  it.each(UPOS_ENCODINGS)('round-trips Cyrillic through %s', (encoding) => {
    const bytes = encodeUposText(APPROVED, encoding);
    expect(parseResultFile(decodeUposText(bytes, encoding)).text).toBe('ОДОБРЕНО');
  });

  it('reads the wrong encoding as text, not as a crash', () => {
    const r = parseResultFile(decodeUposText(encodeUposText('4451,ОТКАЗ\n', 'koi8-r'), 'cp866'));
    expect(r.code).toBe(4451);
    expect(r.text).not.toBe('ОТКАЗ');
  });
});

describe('sb_pilot run verdicts', () => {
  const run = (o: Partial<Parameters<typeof judgeRun>[0]>) => judgeRun({ started: true, timedOut: false, exitCode: 0, signal: null, returnCode: 0, resultBytes: null, slipBytes: null, ...o }, 'utf-8');
  it('trusts a finished program\'s file even without a final line break', () => {
    expect(run({ resultBytes: Buffer.from('4451,ОТКАЗ') })).toMatchObject({ kind: 'answered', code: 4451 });
  });
  it('does not trust an incomplete file from a killed program', () => {
    expect(run({ signal: 'SIGKILL', exitCode: null, returnCode: null, resultBytes: Buffer.from('0,ОДОБРЕНО\n1234') })).toMatchObject({ kind: 'unknown' });
  });
  it('takes return:N alone as a refusal, 115 as busy, and return:0 without a file as unknown', () => {
    expect(run({ returnCode: 4100 })).toMatchObject({ kind: 'answered', code: 4100, result: null });
    expect(run({ returnCode: 115 })).toEqual({ kind: 'busy' });
    expect(run({ returnCode: 0 })).toMatchObject({ kind: 'unknown' });
    expect(run({ resultBytes: Buffer.from('115,BUSY\n') })).toEqual({ kind: 'busy' });
  });
  it('a timed-out run without a result file is unknown', () => {
    expect(run({ timedOut: true, signal: 'SIGTERM', returnCode: null })).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/timed out/) });
  });
});

describe('sb_pilot slip and command lines', () => {
  it('drops the cut mark, control characters and trailing blanks', () => {
    expect(parseSlip('ЧЕК\r\n=====\r\n\r\n\u0001ЧЕК  \r\nКОПИЯ\f\r\n\r\n\r\n')).toEqual(['ЧЕК', '=====', '', 'ЧЕК', 'КОПИЯ']);
  });
  it('builds the arguments for each command', () => {
    expect(commandArgs({ op: 'card', kind: 'purchase', amountKopecks: 100, rrn: null }, null)).toEqual(['1', '100']);
    expect(commandArgs({ op: 'card', kind: 'refund', amountKopecks: 100, rrn: '123456789012' }, 'AB')).toEqual(['3', '100', '0', 'QSELECT', '123456789012', '/q=AB']);
    expect(commandArgs({ op: 'card', kind: 'cancel', amountKopecks: 100, rrn: null }, null)).toEqual(['8', '100']);
    expect(commandArgs({ op: 'settlement' }, null)).toEqual(['7']);
    expect(commandArgs({ op: 'report', full: true }, null)).toEqual(['9', '1']);
    expect(commandArgs({ op: 'readiness' }, 'X')).toEqual(['26']);
    expect(commandArgs({ op: 'status', requestId: 'FB98B5D4' }, 'FB98B5D5')).toEqual(['52', 'FB98B5D4', '/q=FB98B5D5']);
  });
  it('makes 8-hex-digit request ids and refuses RRNs that could inject arguments', () => {
    expect(newRequestId(1_700_000_000_000, 3)).toMatch(/^[0-9A-F]{8}$/);
    expect(newRequestId(1_700_000_000_000, 3)).not.toBe(newRequestId(1_700_000_000_000, 4));
    expect(isSafeRrn('152463956160')).toBe(true);
    expect(isSafeRrn('1 /q=1')).toBe(false);
    expect(isSafeRrn('')).toBe(false);
  });
});

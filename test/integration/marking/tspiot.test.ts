import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TspiotClient } from '../../../src-main/marking/tspiot-client';
import { TspiotEmulator } from '../../../src-main/marking/emulators/tspiot-emulator';
import { codeWith, requestFor } from './helpers';

const clientInfo = { name: 'Prilavok', version: '0.1.0', id: 'lane-1', token: 'tok' };
let emu: TspiotEmulator;
beforeEach(async () => { emu = await TspiotEmulator.start({ token: 'tok' }); });
afterEach(async () => { await emu.close(); });

describe('ТС ПИоТ client', () => {
  it.each([1, 2, 3] as const)('v%i sends the code as base64 of its UTF-8 bytes, GS included, and reads the answer', async (apiVersion) => {
    const code = codeWith('SD');
    const r = await new TspiotClient({ url: emu.url, apiVersion, clientInfo }).check(requestFor(code, null, 2));
    expect(r.kind).toBe('answer');
    if (r.kind !== 'answer') return;
    expect(r.answer).toMatchObject({ channel: 'tspiot', checkedOffline: false, inst: 'tspiot-emulator-1', version: '1.0.0' });
    expect(r.answer.codes[0]).toMatchObject({ cis: code, sold: true });
    const b64 = Buffer.from(code, 'utf8').toString('base64');
    expect(Buffer.from(b64, 'base64').toString('utf8')).toContain('\u001d');
    expect(emu.requests[0]).toEqual({ version: apiVersion, body: { codes: apiVersion === 3 ? [{ cis: b64, pg: 2 }] : [b64], client_info: clientInfo } });
  });

  it.each([203, 204] as const)('HTTP %i is an emergency: sell without 1260', async (status) => {
    emu.emergency = status;
    expect(await new TspiotClient({ url: emu.url, clientInfo }).check(requestFor(codeWith('OK')))).toEqual({ kind: 'emergency', attempts: [] });
  });

  it('isCheckedOffline sets checkedOffline', async () => {
    emu.offline = true;
    const r = await new TspiotClient({ url: emu.url, clientInfo }).check(requestFor(codeWith('OK')));
    expect(r.kind === 'answer' && r.answer.checkedOffline).toBe(true);
  });

  it('a refused token and a garbage answer are clear failed attempts', async () => {
    const refused = await new TspiotClient({ url: emu.url, clientInfo: { ...clientInfo, token: 'bad' } }).check(requestFor(codeWith('OK')));
    expect(refused.attempts).toEqual([expect.objectContaining({ channel: 'tspiot', failure: 'http 401: ТС ПИоТ refused the client token' })]);
    emu.garbage = true;
    const garbage = await new TspiotClient({ url: emu.url, clientInfo }).check(requestFor(codeWith('OK')));
    expect(garbage.attempts[0]!.failure).toMatch(/bad answer: not JSON/);
  });

  it('a service that does not answer in time is a timeout', async () => {
    emu.latencyMs = 500;
    const r = await new TspiotClient({ url: emu.url, clientInfo, timeoutMs: 100 }).check(requestFor(codeWith('OK')));
    expect(r.attempts[0]!.failure).toBe('timeout');
  });
});

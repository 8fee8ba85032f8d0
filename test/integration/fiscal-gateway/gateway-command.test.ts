// `prilavok gateway --config FILE --port N` in-process: the config file is validated, the demo emulator
// register works, GATEWAY_READY is printed, and SIGTERM stops it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayCommand } from '../../../src-main/app/commands/gateway';
import { tempDir } from '../../helpers/lane';

const cleanups: Array<() => void> = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); vi.restoreAllMocks(); });

function dir(): string {
  const d = tempDir('prilavok-gateway-cmd-');
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('prilavok gateway', () => {
  it('serves Complex on the demo emulator, prints GATEWAY_READY and stops on SIGTERM', async () => {
    const d = dir();
    const file = join(d, 'gateway.json');
    writeFileSync(file, JSON.stringify({ registers: [{ id: 'demo', address: 'emulator' }], password: 'p', dataDir: 'data', taxIds: { 1: 'vat22' } }));
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { out.push(String(chunk)); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = gatewayCommand(['--config', file, '--port', '0']);
    for (let i = 0; i < 200 && !out.join('').includes('GATEWAY_READY'); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /GATEWAY_READY (\S+)/.exec(out.join(''))![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/fr/api/v2/Complex`, { method: 'POST', body: JSON.stringify({
      RequestId: 'r1', Password: 'p', DocumentType: 0, Lines: [{ Qty: 1000, Price: 12_300, TaxId: 1, Description: 'Хлеб' }], Cash: 12_300 }) });
    const json = await res.json() as any;
    expect(json.Response.Error).toBe(0);
    expect(json.FiscalDocNumber).toBeGreaterThan(0);
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses an invalid configuration with the reasons', async () => {
    const d = dir();
    const file = join(d, 'gateway.json');
    writeFileSync(file, JSON.stringify({ registers: [], password: '', dataDir: 'data', retentionDays: 7 }));
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { err.push(String(chunk)); return true; });
    expect(await gatewayCommand(['--config', file])).toBe(2);
    expect(err.join('')).toMatch(/registers/);
    expect(err.join('')).toMatch(/retentionDays/);
    expect(await gatewayCommand([])).toBe(2);
  });
});

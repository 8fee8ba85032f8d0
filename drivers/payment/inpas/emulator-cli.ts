// `prilavok emulate inpas --port N [--host 127.0.0.1] [--encoding cp1251|utf-8|cp866|koi8-r]
//   [--declare xml|header|both|none] [--decline KOPECKS]… [--terminal-id ID]`
// A DualConnector emulator (emulator.ts). Prints `LISTENING <url>` once ready; runs until SIGTERM,
// SIGINT or the stop signal. Lines on stdin drive it: `fault KIND [N]` (decline | timeout |
// hang-after-approve | drop-after-approve | garbage) and `clear`.
import { createInterface } from 'node:readline';
import { saEncodingFromLabel, type SaEncoding } from './body-encoding';
import { INPAS_FAULTS, InpasEmulator, type EncodingDeclaration, type InpasFault } from './emulator';

const USAGE = 'usage: prilavok emulate inpas --port N [--host H] [--encoding cp1251|utf-8|cp866|koi8-r] [--declare xml|header|both|none]'
  + ' [--decline KOPECKS]… [--terminal-id ID]\n';

export interface CliIo { stdout: (line: string) => void; stderr: (line: string) => void; stdin?: NodeJS.ReadableStream }
const processIo: CliIo = { stdout: (l) => process.stdout.write(l), stderr: (l) => process.stderr.write(l), stdin: process.stdin };

export async function runInpasEmulator(argv: string[], io: CliIo = processIo, stopSignal?: AbortSignal): Promise<number> {
  let port: number | null = null;
  let host = '127.0.0.1';
  let encoding: SaEncoding = 'windows-1251';
  let declare: EncodingDeclaration = 'both';
  let terminalId: string | undefined;
  const declineAmounts: number[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) { io.stderr(USAGE); return 2; }
    switch (key) {
      case '--port': port = /^\d{1,5}$/.test(value) && Number(value) < 65_536 ? Number(value) : -1; break;
      case '--host': host = value; break;
      case '--encoding': { const e = saEncodingFromLabel(value); if (!e) { io.stderr(`bad --encoding '${value}'\n`); return 2; } encoding = e; break; }
      case '--declare':
        if (!['xml', 'header', 'both', 'none'].includes(value)) { io.stderr(`bad --declare '${value}'\n`); return 2; }
        declare = value as EncodingDeclaration;
        break;
      case '--decline': if (!/^\d+$/.test(value)) { io.stderr(`bad --decline '${value}'\n`); return 2; } declineAmounts.push(Number(value)); break;
      case '--terminal-id': terminalId = value; break;
      default: io.stderr(`unknown option ${key}\n${USAGE}`); return 2;
    }
  }
  if (port === null || port < 0) { io.stderr(USAGE); return 2; }
  let emulator: InpasEmulator | null = null;
  try {
    emulator = await InpasEmulator.start({ host, port, encoding, declare, declineAmounts, ...(terminalId ? { terminalId } : {}) });
    const running = emulator;
    io.stdout(`LISTENING ${emulator.url}\n`);
    const lines = io.stdin ? createInterface({ input: io.stdin }) : null;
    lines?.on('line', (line) => { const e = control(running, line); if (e) io.stderr(`${e}\n`); });
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
      stopSignal?.addEventListener('abort', () => resolve());
      if (stopSignal?.aborted) resolve();
    });
    lines?.close();
    return 0;
  } catch (error) {
    io.stderr(`prilavok emulate inpas: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await emulator?.close();
  }
}

/** One stdin control line; returns an error text or null. */
export function control(emulator: InpasEmulator, line: string): string | null {
  const [cmd, kind, n] = line.trim().split(/\s+/);
  if (cmd === undefined || cmd === '') return null;
  if (cmd === 'clear') { emulator.clearFaults(); return null; }
  if (cmd !== 'fault') return `unknown command '${cmd}'`;
  if (!INPAS_FAULTS.includes(kind as InpasFault)) return `fault: one of ${INPAS_FAULTS.join(', ')}`;
  const count = n === undefined ? 1 : Number(n);
  if (!Number.isInteger(count) || count <= 0) return 'fault: count must be a positive integer';
  emulator.inject(kind as InpasFault, count);
  return null;
}

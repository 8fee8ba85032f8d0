// `prilavok emulate shtrih --pty PATH | --tcp HOST:PORT [--state FILE] [--faults SPEC] [--seed N]
//  [--paper-reload-ms N] [--baud N] [--pace] [--ofd-ack-ms N] [--ofd online|offline] [--drawer-close-ms N|never]`. The modelled OFD acknowledges
// each document --ofd-ack-ms after it is written (default 3000); --ofd offline acknowledges nothing. `--pace` makes every byte take its line time at --baud
// (default 115 200) both ways and adds no processing time (for `prilavok bench fiscal`). Prints `SHTRIH_READY <path-or-host:port>` once listening; stops on SIGTERM.
// SIGUSR1 loads paper at once. A power-cut fault ends the process (exit code 3) after the state is saved.
// A cash drawer kicked by 28h prints `DRAWER open N`, and `DRAWER closed N` when it is pushed shut: --drawer-close-ms after the
// kick (default 5000; `never` keeps it open), or by the stdin line `drawer close [0|1]`. The stdin line `paper load` loads paper.
import { createInterface } from 'node:readline';
import { createPtyPair, type PtyPair } from '../../transport/pty';
import { parseTcpAddress } from '../../transport/tcp';
import { ShtrihEmulator } from './emulator';
import { DEFAULT_OFD_ACK_MS } from './emulator-device';
import { FaultSpecError, parseFaultSpec } from './faults';

const USAGE = 'usage: prilavok emulate shtrih --pty PATH | --tcp HOST:PORT [--state FILE] [--faults SPEC] [--seed N] [--paper-reload-ms N]'
  + ' [--baud N] [--pace] [--ofd-ack-ms N] [--ofd online|offline] [--drawer-close-ms N|never]\n';
/** How long the demo's cashier leaves a kicked drawer open. */
const DEFAULT_DRAWER_CLOSE_MS = 5_000;
/** Options that take no value. */
const FLAGS = new Set(['--pace']);

export interface CliIo { stdout: (line: string) => void; stderr: (line: string) => void; stdin?: NodeJS.ReadableStream }
const processIo: CliIo = { stdout: (l) => process.stdout.write(l), stderr: (l) => process.stderr.write(l), stdin: process.stdin };

export async function runShtrihEmulator(argv: string[], io: CliIo = processIo, stopSignal?: AbortSignal): Promise<number> {
  const args = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    if (FLAGS.has(key)) { flags.add(key.slice(2)); i--; continue; }
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) { io.stderr(USAGE); return 2; }
    args.set(key.slice(2), value);
  }
  const ptyPath = args.get('pty');
  const tcpText = args.get('tcp');
  if ((ptyPath === undefined) === (tcpText === undefined)) { io.stderr(USAGE); return 2; }
  let faults;
  try {
    faults = parseFaultSpec(args.get('faults') ?? '');
  } catch (error) {
    if (error instanceof FaultSpecError) { io.stderr(`prilavok emulate shtrih: --faults: ${error.message}\n`); return 2; }
    throw error;
  }
  const tcp = tcpText !== undefined ? parseTcpAddress(tcpText) : null;
  if (tcpText !== undefined && !tcp) { io.stderr(`prilavok emulate shtrih: bad --tcp '${tcpText}'\n`); return 2; }
  const reload = args.get('paper-reload-ms');
  const baudText = args.get('baud');
  const baudRate = baudText === undefined ? 115_200 : Number(baudText);
  if (!Number.isInteger(baudRate) || baudRate < 50 || baudRate > 4_000_000) {
    io.stderr(`prilavok emulate shtrih: bad --baud '${baudText}'\n`);
    return 2;
  }

  const ofdMode = args.get('ofd') ?? 'online';
  const ackText = args.get('ofd-ack-ms');
  const ofdAckMs = ackText === undefined ? DEFAULT_OFD_ACK_MS : Number(ackText);
  if ((ofdMode !== 'online' && ofdMode !== 'offline') || !Number.isInteger(ofdAckMs) || ofdAckMs < 0 || ofdAckMs > 86_400_000) {
    io.stderr(`prilavok emulate shtrih: bad --ofd '${ofdMode}' or --ofd-ack-ms '${ackText}'\n`);
    return 2;
  }

  const drawerText = args.get('drawer-close-ms');
  const drawerCloseMs = drawerText === undefined ? DEFAULT_DRAWER_CLOSE_MS : drawerText === 'never' ? null : Number(drawerText);
  if (drawerCloseMs !== null && (!Number.isInteger(drawerCloseMs) || drawerCloseMs < 0 || drawerCloseMs > 3_600_000)) {
    io.stderr(`prilavok emulate shtrih: bad --drawer-close-ms '${drawerText}'\n`);
    return 2;
  }

  let pty: PtyPair | null = null;
  let powerCut = false;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => { finish = resolve; });
  try {
    if (ptyPath !== undefined) pty = await createPtyPair({ hostPath: ptyPath });
    const emulator = await ShtrihEmulator.start({
      ...(pty ? { serialPath: pty.devicePath } : { tcp: tcp! }),
      stateFile: args.get('state') ?? null,
      faults,
      seed: Number(args.get('seed') ?? 1),
      paperReloadMs: reload === undefined ? 2_000 : Number(reload),
      baudRate,
      pace: flags.has('pace'),
      ofdAckMs: ofdMode === 'offline' ? null : ofdAckMs,
      drawerCloseMs,
      onDrawer: (drawer, open) => io.stdout(`DRAWER ${open ? 'open' : 'closed'} ${drawer}\n`),
      onPowerCut: () => { powerCut = true; finish(3); },
    });
    io.stdout(`SHTRIH_READY ${pty ? ptyPath : emulator.address}\n`);
    const lines = io.stdin ? createInterface({ input: io.stdin }) : null;
    lines?.on('line', (line) => { const e = control(emulator, line); if (e) io.stderr(`${e}\n`); });
    const stop = () => finish(0);
    const paper = () => emulator.loadPaper();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGUSR1', paper);
    stopSignal?.addEventListener('abort', stop);
    const code = await done;
    lines?.close();
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    process.off('SIGUSR1', paper);
    if (powerCut) io.stderr('SHTRIH_POWER_CUT the document is saved; no answer was sent\n');
    await emulator.close();
    return code;
  } catch (error) {
    io.stderr(`prilavok emulate shtrih: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await pty?.close();
  }
}

/** One stdin control line (the person at the register); returns an error text or null. */
export function control(emulator: Pick<ShtrihEmulator, 'closeDrawer' | 'loadPaper'>, line: string): string | null {
  const [cmd, a, b] = line.trim().split(/\s+/);
  if (cmd === undefined || cmd === '') return null;
  if (cmd === 'paper' && a === 'load' && b === undefined) { emulator.loadPaper(); return null; }
  if (cmd === 'drawer' && a === 'close' && (b === undefined || b === '0' || b === '1')) {
    emulator.closeDrawer(b === undefined ? undefined : b === '0' ? 0 : 1);
    return null;
  }
  return `unknown command '${line.trim()}' (drawer close [0|1], paper load)`;
}

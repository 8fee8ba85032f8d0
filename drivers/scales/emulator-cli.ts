// `prilavok emulate scale-massak|scale-cas|scale-cas-indicator|scale-shtrih|scale-mettler8217
//   --pty PATH | --tcp HOST:PORT [--weight G] [--capacity G] [--baud N] [--pace on|off] [--late-ms N] [--stream-ms N]`
// `--pace on` (with --pty) makes every byte take its line time at --baud both ways, as a real UART does.
// With --pty the emulator makes the pty pair itself and links the driver's end at PATH. Prints
// `SCALE_READY <protocol> <path-or-host:port>` once listening; stops on SIGTERM/SIGINT or the signal.
// Lines on stdin drive the scale (for demos and manual tests):
//   put G [SETTLE_MS]   a load of G grams (negative = lifted), unstable for SETTLE_MS
//   stable | unstable   force the stability flag
//   fault KIND [N]      garbage | bad-checksum | late | silence | cut, N times (default 1; 'inf')
//   clear               clear faults;   broken on|off   a measurement fault
//   zero | tare         the scale's own keys (what a CAS ENQ/DC1 scale needs: it takes no command for them)
import { createInterface } from 'node:readline';
import { createPtyPair, type PtyPair } from '../transport/pty';
import { parseTcpAddress } from '../transport/tcp';
import { CasEmulator } from './cas/emulator';
import { SCALE_FAULTS, type HostOptions, type ScaleEmulatorHost, type ScaleFault } from './emulator-host';
import type { WeighingModel, WeighingModelOptions } from './emulator-model';
import { MassakEmulator } from './massak/emulator';
import { Mettler8217Emulator } from './mettler8217/emulator';
import { ShtrihScaleEmulator } from './shtrih/emulator';

export type ScaleEmulatorProtocol = 'massak' | 'cas' | 'cas-indicator' | 'shtrih' | 'mettler8217';
export const SCALE_EMULATOR_PROTOCOLS: readonly ScaleEmulatorProtocol[] = ['massak', 'cas', 'cas-indicator', 'shtrih', 'mettler8217'];

interface RunningScale { model: WeighingModel; host: ScaleEmulatorHost; address: string; close(): Promise<void> }

export interface CliIo { stdout: (line: string) => void; stderr: (line: string) => void; stdin?: NodeJS.ReadableStream }
const processIo: CliIo = { stdout: (l) => process.stdout.write(l), stderr: (l) => process.stderr.write(l), stdin: process.stdin };

const USAGE = 'usage: prilavok emulate scale-<massak|cas|cas-indicator|shtrih|mettler8217> --pty PATH | --tcp HOST:PORT'
  + ' [--weight G] [--capacity G] [--baud N] [--pace on|off] [--late-ms N] [--stream-ms N]\n';

/** Accepts 'massak' or 'scale-massak'. */
export function parseScaleProtocol(name: string): ScaleEmulatorProtocol | null {
  const p = name.replace(/^scale-/, '');
  return (SCALE_EMULATOR_PROTOCOLS as readonly string[]).includes(p) ? p as ScaleEmulatorProtocol : null;
}

export async function runScaleEmulator(protocolName: string, argv: string[], io: CliIo = processIo, stopSignal?: AbortSignal): Promise<number> {
  const protocol = parseScaleProtocol(protocolName);
  if (!protocol) { io.stderr(USAGE); return 2; }
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) { io.stderr(USAGE); return 2; }
    args.set(key.slice(2), value);
  }
  const known = new Set(['pty', 'tcp', 'weight', 'capacity', 'baud', 'pace', 'late-ms', 'stream-ms']);
  for (const k of args.keys()) if (!known.has(k)) { io.stderr(`unknown option --${k}\n${USAGE}`); return 2; }
  const ptyPath = args.get('pty');
  const tcpText = args.get('tcp');
  if ((ptyPath === undefined) === (tcpText === undefined)) { io.stderr(USAGE); return 2; }
  const tcp = tcpText !== undefined ? parseTcpAddress(tcpText) : null;
  if (tcpText !== undefined && !tcp) { io.stderr(`bad --tcp '${tcpText}'\n`); return 2; }
  const paceText = args.get('pace') ?? 'off';
  if (paceText !== 'on' && paceText !== 'off') { io.stderr(`bad --pace '${paceText}': on or off\n`); return 2; }
  if (paceText === 'on' && ptyPath === undefined) { io.stderr('--pace on needs --pty: a TCP scale has no line to pace\n'); return 2; }
  const ints: Record<string, number | undefined> = {};
  for (const k of ['weight', 'capacity', 'baud', 'late-ms', 'stream-ms']) {
    const t = args.get(k);
    if (t === undefined) continue;
    const n = Number(t);
    if (!Number.isSafeInteger(n) || (k !== 'weight' && n <= 0)) { io.stderr(`bad --${k} '${t}'\n`); return 2; }
    ints[k] = n;
  }

  let pty: PtyPair | null = null;
  let scale: RunningScale | null = null;
  try {
    if (ptyPath !== undefined) pty = await createPtyPair({ hostPath: ptyPath });
    const o: HostOptions & WeighingModelOptions = {
      ...(pty ? { serialPath: pty.devicePath } : { tcp: tcp! }),
      ...(ints['baud'] !== undefined ? { baudRate: ints['baud'] } : {}),
      ...(paceText === 'on' ? { pace: true } : {}),
      ...(ints['late-ms'] !== undefined ? { lateMs: ints['late-ms'] } : {}),
      ...(ints['capacity'] !== undefined ? { capacityGrams: ints['capacity'] } : {}),
      initialGrams: ints['weight'] ?? 0,
    };
    scale = await startEmulator(protocol, o, ints['stream-ms']);
    io.stdout(`SCALE_READY ${protocol} ${pty ? ptyPath : scale.address}\n`);
    const running = scale;
    const lines = io.stdin ? createInterface({ input: io.stdin }) : null;
    lines?.on('line', (line) => { const e = control(running, line); if (e) io.stderr(`${e}\n`); });
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      stopSignal?.addEventListener('abort', stop);
      if (stopSignal?.aborted) resolve();
    });
    lines?.close();
    return 0;
  } catch (error) {
    io.stderr(`prilavok emulate scale-${protocol}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await scale?.close();
    await pty?.close();
  }
}

async function startEmulator(p: ScaleEmulatorProtocol, o: HostOptions & WeighingModelOptions, streamMs: number | undefined): Promise<RunningScale> {
  switch (p) {
    case 'massak': return MassakEmulator.start(o);
    case 'cas': return CasEmulator.start({ ...o, format: 'ecr' });
    case 'cas-indicator': return CasEmulator.start({ ...o, format: 'indicator', streamIntervalMs: streamMs ?? 100 });
    case 'shtrih': return ShtrihScaleEmulator.start(o);
    case 'mettler8217': return Mettler8217Emulator.start(o);
  }
}

/** One stdin control line; returns an error text or null. */
export function control(s: { model: WeighingModel; host: ScaleEmulatorHost }, line: string): string | null {
  const [cmd, a, b] = line.trim().split(/\s+/);
  switch (cmd) {
    case undefined: case '': return null;
    case 'put': {
      const grams = Number(a);
      const settle = b === undefined ? 0 : Number(b);
      if (!Number.isSafeInteger(grams) || !Number.isFinite(settle)) return 'usage: put GRAMS [SETTLE_MS]';
      s.model.place(grams, settle);
      return null;
    }
    case 'zero': { const refused = s.model.zero(); return refused ? `zero refused: ${refused}` : null; }
    case 'tare': { const refused = s.model.tareNow(); return refused ? `tare refused: ${refused}` : null; }
    case 'stable': s.model.setStable(true); return null;
    case 'unstable': s.model.setStable(false); return null;
    case 'broken': s.model.fault = a === 'on'; return null;
    case 'clear': s.host.clearFaults(); return null;
    case 'fault': {
      if (!SCALE_FAULTS.includes(a as ScaleFault)) return `fault: one of ${SCALE_FAULTS.join(', ')}`;
      const n = b === undefined ? 1 : b === 'inf' ? Infinity : Number(b);
      if (!(n > 0)) return 'fault: count must be positive';
      s.host.inject(a as ScaleFault, n);
      return null;
    }
    default: return `unknown command '${cmd}'`;
  }
}

// `prilavok emulate zvt --tcp HOST:PORT | --pty PATH [--state FILE] [--faults SPEC] [--password DIGITS]
//  [--step-ms N]`. Prints `LISTENING <host:port or pty path>` once ready; runs until SIGTERM/SIGINT.
// Fault spec syntax: faults.ts. SIGUSR1 restarts the PT (memory lost, the state file kept).
import { createPtyPair, type PtyPair } from '../../transport/pty';
import { parseTcpAddress } from '../../transport/tcp';
import { ZvtEmulator } from './emulator';
import { FaultSpecError, parseZvtFaultSpec } from './faults';

const USAGE = 'usage: prilavok emulate zvt --tcp HOST:PORT | --pty PATH [--state FILE] [--faults SPEC] [--password DIGITS] [--step-ms N]\n'
  + '  faults: timeout, hang, drop-after-approve, decline[:XX], nak[:P], bad-crc[:P], seed:N (comma-separated)\n';

export interface CliIo { stdout: (line: string) => void; stderr: (line: string) => void }
const processIo: CliIo = { stdout: (l) => process.stdout.write(l), stderr: (l) => process.stderr.write(l) };

export async function runZvtEmulator(argv: string[], io: CliIo = processIo, stopSignal?: AbortSignal): Promise<number> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) { io.stderr(USAGE); return 2; }
    args.set(key.slice(2), value);
  }
  const known = new Set(['tcp', 'pty', 'state', 'faults', 'password', 'step-ms']);
  for (const k of args.keys()) if (!known.has(k)) { io.stderr(`prilavok emulate zvt: unknown option --${k}\n${USAGE}`); return 2; }
  const ptyPath = args.get('pty');
  const tcpText = args.get('tcp');
  if ((ptyPath === undefined) === (tcpText === undefined)) { io.stderr(USAGE); return 2; }
  const tcp = tcpText !== undefined ? parseTcpAddress(tcpText) : null;
  if (tcpText !== undefined && !tcp) { io.stderr(`prilavok emulate zvt: bad --tcp '${tcpText}'\n`); return 2; }
  let faults;
  try {
    faults = parseZvtFaultSpec(args.get('faults') ?? '');
  } catch (error) {
    if (error instanceof FaultSpecError) { io.stderr(`prilavok emulate zvt: --faults: ${error.message}\n`); return 2; }
    throw error;
  }
  const password = args.get('password') ?? '000000';
  if (!/^\d{1,6}$/.test(password)) { io.stderr('prilavok emulate zvt: --password is 1–6 digits\n'); return 2; }
  const stepText = args.get('step-ms');
  const stepDelayMs = stepText === undefined ? 400 : Number(stepText);
  if (!Number.isInteger(stepDelayMs) || stepDelayMs < 0 || stepDelayMs > 60_000) { io.stderr(`prilavok emulate zvt: bad --step-ms '${stepText}'\n`); return 2; }

  let pty: PtyPair | null = null;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => { finish = resolve; });
  try {
    if (ptyPath !== undefined) pty = await createPtyPair({ hostPath: ptyPath });
    const emulator = await ZvtEmulator.start({
      ...(pty ? { serialPath: pty.devicePath } : { tcp: tcp! }),
      stateFile: args.get('state') ?? null, faults, password, stepDelayMs,
    });
    io.stdout(`LISTENING ${pty ? ptyPath : emulator.address}\n`);
    const stop = () => finish(0);
    const restart = () => emulator.restart();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGUSR1', restart);
    stopSignal?.addEventListener('abort', stop);
    const code = await done;
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    process.off('SIGUSR1', restart);
    await emulator.close();
    return code;
  } catch (error) {
    io.stderr(`prilavok emulate zvt: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await pty?.close();
  }
}

// `prilavok emulate scanner --pty PATH | --tcp HOST:PORT [--suffix cr|lf|crlf|none] [--prefix TEXT] [--aim ]d2]`
// A serial / USB-CDC scanner: each stdin line is "scanned" (written with prefix and suffix). Escapes
// in a line: \u001d or \x1d or \G for GS, \\ for a backslash. Control lines:
//   :garbage [N]        N bytes of line noise         :partial CODE   half a code, no suffix
// Prints `SCANNER_READY serial <path-or-host:port>` once listening; stops on SIGTERM/SIGINT or the signal.
import { createInterface } from 'node:readline';
import { createPtyPair, type PtyPair } from '../transport/pty';
import { parseTcpAddress } from '../transport/tcp';
import { SCAN_SUFFIXES, type ScanSuffix } from './serial/codec';
import { SerialScannerEmulator } from './serial/emulator';

export interface CliIo { stdout: (line: string) => void; stderr: (line: string) => void; stdin?: NodeJS.ReadableStream }
const processIo: CliIo = { stdout: (l) => process.stdout.write(l), stderr: (l) => process.stderr.write(l), stdin: process.stdin };

const USAGE = 'usage: prilavok emulate scanner --pty PATH | --tcp HOST:PORT [--suffix cr|lf|crlf|none] [--prefix TEXT] [--aim ]xy]\n';

/** `\u001d`, `\x1d`, `\G` → GS; `\\` → backslash. Null for a malformed escape. */
export function unescapeScanLine(line: string): string | null {
  let bad = false;
  const out = line.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|G|\\|.|$)/g, (_m, e: string) => {
    if (e === 'G') return '\u001d';
    if (e === '\\') return '\\';
    if (e.startsWith('u') && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e.startsWith('x') && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    bad = true;
    return '';
  });
  return bad ? null : out;
}

export async function runScannerEmulator(argv: string[], io: CliIo = processIo, stopSignal?: AbortSignal): Promise<number> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) { io.stderr(USAGE); return 2; }
    args.set(key.slice(2), value);
  }
  for (const k of args.keys()) if (!['pty', 'tcp', 'suffix', 'prefix', 'aim'].includes(k)) { io.stderr(`unknown option --${k}\n${USAGE}`); return 2; }
  const ptyPath = args.get('pty');
  const tcpText = args.get('tcp');
  if ((ptyPath === undefined) === (tcpText === undefined)) { io.stderr(USAGE); return 2; }
  const tcp = tcpText !== undefined ? parseTcpAddress(tcpText) : null;
  if (tcpText !== undefined && !tcp) { io.stderr(`bad --tcp '${tcpText}'\n`); return 2; }
  const suffix = (args.get('suffix') ?? 'cr') as ScanSuffix;
  if (!SCAN_SUFFIXES.includes(suffix)) { io.stderr(`bad --suffix '${suffix}': ${SCAN_SUFFIXES.join(', ')}\n`); return 2; }
  const aim = args.get('aim');
  if (aim !== undefined && !/^\][A-Za-z][0-9A-Za-z]$/.test(aim)) { io.stderr(`bad --aim '${aim}': ]xy\n`); return 2; }
  const prefixText = args.get('prefix');

  let pty: PtyPair | null = null;
  let emulator: SerialScannerEmulator | null = null;
  try {
    if (ptyPath !== undefined) pty = await createPtyPair({ hostPath: ptyPath });
    emulator = await SerialScannerEmulator.start({
      ...(pty ? { serialPath: pty.devicePath } : { tcp: tcp! }),
      suffix,
      ...(prefixText ? { prefix: new TextEncoder().encode(prefixText) } : {}),
    });
    io.stdout(`SCANNER_READY serial ${pty ? ptyPath : emulator.address}\n`);
    const running = emulator;
    // One line at a time, in order: a scanner sends one code per trigger pull.
    let chain = Promise.resolve();
    const lines = io.stdin ? createInterface({ input: io.stdin }) : null;
    lines?.on('line', (line) => {
      chain = chain.then(() => scanLine(running, line, aim)).then((e) => { if (e) io.stderr(`${e}\n`); }, (e: Error) => io.stderr(`${e.message}\n`));
    });
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      stopSignal?.addEventListener('abort', stop);
      if (stopSignal?.aborted) resolve();
    });
    lines?.close();
    await chain;
    return 0;
  } catch (error) {
    io.stderr(`prilavok emulate scanner: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await emulator?.close();
    await pty?.close();
  }
}

/** One stdin line; returns an error text or null. */
async function scanLine(e: SerialScannerEmulator, line: string, aim: string | undefined): Promise<string | null> {
  if (line.trim() === '') return null;
  if (line.startsWith(':')) {
    const [cmd, arg] = [line.slice(1).split(/\s+/)[0], line.slice(1).replace(/^\S+\s*/, '')];
    if (cmd === 'garbage') { await e.garbage(arg ? Number(arg) || 8 : 8); return null; }
    if (cmd === 'partial') { const t = unescapeScanLine(arg); if (t === null) return 'bad escape'; await e.partial(t); return null; }
    return `unknown command ':${cmd}'`;
  }
  const code = unescapeScanLine(line);
  if (code === null) return `bad escape in '${line}'`;
  await e.scan(code, aim ? { aim } : {});
  return null;
}

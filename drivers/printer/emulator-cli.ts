// `prilavok emulate escpos --tcp HOST:PORT | --pty PATH`
// An ESC/POS printer with a drawer. Printed lines go to stdout as `PRINT <text>` (and `CUT`), drawer
// kicks as `DRAWER open`. Prints `ESCPOS_READY <path-or-host:port>` once listening; stops on
// SIGTERM/SIGINT or the signal. Lines on stdin change its state:
//   paper ok|near-end|out     cover open|closed     drawer close     paper-out-after N
//   silent on|off             cutter jam|ok
import { createInterface } from 'node:readline';
import { createPtyPair, type PtyPair } from '../transport/pty';
import { parseTcpAddress } from '../transport/tcp';
import { EscPosEmulator } from './escpos/emulator';

export interface CliIo { stdout: (line: string) => void; stderr: (line: string) => void; stdin?: NodeJS.ReadableStream }
const processIo: CliIo = { stdout: (l) => process.stdout.write(l), stderr: (l) => process.stderr.write(l), stdin: process.stdin };
const USAGE = 'usage: prilavok emulate escpos --tcp HOST:PORT | --pty PATH\n';

export async function runPrinterEmulator(argv: string[], io: CliIo = processIo, stopSignal?: AbortSignal): Promise<number> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) { io.stderr(USAGE); return 2; }
    args.set(key.slice(2), value);
  }
  for (const k of args.keys()) if (k !== 'pty' && k !== 'tcp') { io.stderr(`unknown option --${k}\n${USAGE}`); return 2; }
  const ptyPath = args.get('pty');
  const tcpText = args.get('tcp');
  if ((ptyPath === undefined) === (tcpText === undefined)) { io.stderr(USAGE); return 2; }
  const tcp = tcpText !== undefined ? parseTcpAddress(tcpText) : null;
  if (tcpText !== undefined && !tcp) { io.stderr(`bad --tcp '${tcpText}'\n`); return 2; }

  let pty: PtyPair | null = null;
  let printer: EscPosEmulator | null = null;
  let report: NodeJS.Timeout | null = null;
  try {
    if (ptyPath !== undefined) pty = await createPtyPair({ hostPath: ptyPath });
    printer = await EscPosEmulator.start(pty ? { serialPath: pty.devicePath } : { tcp: tcp! });
    io.stdout(`ESCPOS_READY ${pty ? ptyPath : printer.address}\n`);
    const running = printer;
    // Echo what was printed since the last look (the emulator keeps it for tests; people want to see it).
    let shownLines = 0, shownSlips = 0, shownKicks = 0;
    report = setInterval(() => {
      for (; shownLines < running.lines.length; shownLines++) io.stdout(`PRINT ${running.lines[shownLines]}\n`);
      for (; shownSlips < running.slips.length; shownSlips++) io.stdout('CUT\n');
      for (; shownKicks < running.drawerKicks; shownKicks++) io.stdout('DRAWER open\n');
    }, 50);
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
    io.stderr(`prilavok emulate escpos: ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (report) clearInterval(report);
    await printer?.close();
    await pty?.close();
  }
}

/** One stdin control line; returns an error text or null. */
export function control(p: EscPosEmulator, line: string): string | null {
  const [cmd, a] = line.trim().split(/\s+/);
  switch (cmd) {
    case undefined: case '': return null;
    case 'paper':
      if (a === 'ok') { p.loadPaper(); return null; }
      if (a === 'near-end' || a === 'out') { p.paper = a; return null; }
      return 'usage: paper ok|near-end|out';
    case 'cover': if (a !== 'open' && a !== 'closed') return 'usage: cover open|closed'; p.coverOpen = a === 'open'; return null;
    case 'drawer': if (a !== 'close') return 'usage: drawer close'; p.closeDrawer(); return null;
    case 'paper-out-after': { const n = Number(a); if (!Number.isInteger(n) || n < 1) return 'usage: paper-out-after N'; p.paperOutAfter(n); return null; }
    case 'silent': if (a !== 'on' && a !== 'off') return 'usage: silent on|off'; p.silent = a === 'on'; return null;
    case 'cutter': if (a !== 'jam' && a !== 'ok') return 'usage: cutter jam|ok'; p.cutterJam = a === 'jam'; return null;
    default: return `unknown command '${cmd}'`;
  }
}

// `prilavok fiscal status --port PATH|tcp://HOST:PORT [--baud N] --json`: what the register says about
// itself, as one JSON object. A field the register does not answer is null; the command still succeeds
// with what it could read (exit 1 only when nothing at all could be read).
import { ShtrihRegister } from '../../../drivers/fiscal/shtrih/driver';

const USAGE = 'usage: prilavok fiscal status --port PATH|tcp://HOST:PORT [--baud N] --json\n';

export async function fiscalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'status') { process.stderr.write(USAGE); return 2; }
  let port: string | undefined;
  let baud = 115_200;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--port') port = rest[++i];
    else if (a === '--baud') baud = Number(rest[++i]);
    else if (a === '--json') json = true;
    else { process.stderr.write(USAGE); return 2; }
  }
  if (!port || !Number.isInteger(baud) || baud <= 0) { process.stderr.write(USAGE); return 2; }

  const register = await ShtrihRegister.open(port, { baudRate: baud, link: { enqRetries: 3 } });
  const out: Record<string, unknown> = {
    mode: null, submode: null, shift_open: null, shift_state: null, receipt_open: null,
    fn_serial: null, last_fd: null, fn_current_document: null, unsent_docs: null, first_unsent_fd: null,
    serial: null, kkt_document_number: null, errors: [] as string[],
  };
  const errors = out.errors as string[];
  let answered = 0;
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try { await fn(); answered++; } catch (error) { errors.push(`${what}: ${(error as Error).message}`); }
  };
  try {
    await attempt('short status', async () => {
      const s = await register.status();
      Object.assign(out, { mode: s.mode, submode: s.submode, shift_state: s.shiftState, receipt_open: s.receiptOpen });
      out.shift_open = s.shiftState !== 'closed';
    });
    await attempt('full status', async () => {
      const f = await register.fullStatus();
      Object.assign(out, { serial: f.serial ?? null, kkt_document_number: f.documentNumber ?? null });
    });
    await attempt('FN status', async () => {
      const f = await register.fnStatus();
      Object.assign(out, { fn_serial: f.fnSerial, last_fd: f.lastFdNumber, fn_current_document: f.currentDocument });
      out.shift_open ??= f.shiftOpen;
    });
    await attempt('OFD status', async () => {
      const o = await register.ofdStatus();
      Object.assign(out, { unsent_docs: o.unsentCount, first_unsent_fd: o.firstUnsentFd });
    });
  } finally {
    await register.close();
  }
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else for (const [k, v] of Object.entries(out)) process.stdout.write(`${k.padEnd(22)} ${JSON.stringify(v)}\n`);
  return answered > 0 ? 0 : 1;
}

// `prilavok bench fiscal`: the Shtrih driver's own overhead and a pool's throughput, against emulators
// that pace every byte at the baud rate both ways and add no processing time (drivers/emulator-support/line-pacing.ts).
//
// line_time_ratio: wall time of one receipt job (status read + `lines` items + close, the way the fiscal
// service runs it) divided by the pure line time of every byte that crossed the link both ways, ENQ, ACK,
// NAK and the TCP filler included (bytes × 10 / baud), counted at the driver's transport. 1.0 would be a
// driver that never leaves the line idle; a fixed sleep or a polling loop shows up as the excess.
// Median over the measured receipts after a warm-up; p99 too.
// pool4_receipts_per_min: the same receipts through a RegisterPool of `registers` paced emulators (TCP).
import { performance } from 'node:perf_hooks';
import type { ByteTransport } from '../../../drivers/transport/byte-transport';
import { openTcp } from '../../../drivers/transport/tcp';
import type { ReceiptRequest } from '../../../drivers/fiscal/fiscal-register';
import { ShtrihRegister } from '../../../drivers/fiscal/shtrih/driver';
import { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { lineTimeMs } from '../../../drivers/emulator-support/line-pacing';
import { RegisterPool } from '../../../drivers/fiscal/pool/register-pool';
import { percentile, progress, report, round, type BenchReport } from './report';

export interface FiscalBenchParams { lines: number; baud: number; registers: number; receipts: number }

interface ByteCount { written: number; received: number }

/** Counts the bytes crossing a transport both ways. */
function countingTransport(inner: ByteTransport, count: ByteCount): ByteTransport {
  inner.onData((chunk) => { count.received += chunk.length; });
  return {
    kind: inner.kind,
    write: (bytes) => { count.written += bytes.length; return inner.write(bytes); },
    onData: (l) => inner.onData(l),
    onClose: (l) => inner.onClose(l),
    close: () => inner.close(),
  };
}

const GOODS = ['Молоко 3,2% 1 л', 'Хлеб Бородинский 400 г', 'Яблоки Гала', 'Сыр Российский 45%', 'Кефир 1% 900 мл',
  'Гречка ядрица 800 г', 'Чай чёрный 100 пак.', 'Масло сливочное 82,5% 180 г', 'Яйцо С1 10 шт.', 'Вода питьевая 5 л'];

/** A cash receipt of `lines` lines, a mix of piece goods and weighed goods at two VAT rates. */
export function benchReceipt(lines: number): ReceiptRequest {
  const items: ReceiptRequest['items'] = [];
  let total = 0;
  for (let i = 0; i < lines; i++) {
    const weighed = i % 4 === 2;
    const quantityMilli = weighed ? 1_234 : 1_000 * (1 + (i % 3));
    const priceKopecks = 4_990 + i * 1_010;
    total += Math.round((quantityMilli * priceKopecks) / 1_000);
    items.push({ name: GOODS[i % GOODS.length]!, quantityMilli, priceKopecks, vat: i % 2 === 0 ? 'vat10' : 'vat22', ...(weighed ? { unit: 'kg' as const } : {}) });
  }
  return { sign: 'sale', taxSystem: 'osn', items, payments: { cashKopecks: total + 100_000, electronicKopecks: 0 }, cashier: { name: 'Иванова А.А.' } };
}

async function pacedEmulator(baudRate: number): Promise<ShtrihEmulator> {
  return ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: null, paperReloadMs: null, baudRate, pace: true });
}

async function connect(emulator: ShtrihEmulator, count: ByteCount): Promise<ShtrihRegister> {
  const transport = await openTcp({ host: '127.0.0.1', port: emulator.port });
  return new ShtrihRegister(countingTransport(transport, count));
}

/** One receipt job as the fiscal service runs it: read the status, then the receipt with its close. */
async function receiptJob(register: ShtrihRegister, receipt: ReceiptRequest): Promise<void> {
  const status = await register.status();
  if (status.receiptOpen) throw new Error('a receipt is open on the emulator');
  await register.fiscaliseReceipt(receipt);
}

async function measureLineTimeRatio(params: FiscalBenchParams, receipt: ReceiptRequest): Promise<Record<string, number>> {
  const emulator = await pacedEmulator(params.baud);
  const count: ByteCount = { written: 0, received: 0 };
  const register = await connect(emulator, count);
  try {
    await register.openShift();
    const warmup = Math.max(3, Math.ceil(params.receipts / 10));
    const ratios: number[] = [];
    const wallMs: number[] = [];
    const lineMs: number[] = [];
    progress(`bench fiscal: ${params.receipts} receipts × ${params.lines} lines at ${params.baud} baud (+${warmup} warm-up)`);
    for (let i = 0; i < warmup + params.receipts; i++) {
      count.written = 0;
      count.received = 0;
      const t0 = performance.now();
      await receiptJob(register, receipt);
      const wall = performance.now() - t0;
      // The TCP filler the register sends after our last ACK belongs to this receipt too: let it arrive.
      await new Promise((r) => setTimeout(r, 5));
      if (i < warmup) continue;
      const n = count.written + count.received;
      const line = lineTimeMs(n, params.baud);
      ratios.push(wall / line);
      wallMs.push(wall);
      lineMs.push(line);
      if ((i - warmup + 1) % 10 === 0) progress(`  ${i - warmup + 1}/${params.receipts}: ${round(wall, 1)} ms wall, ${round(line, 1)} ms line, ${n} bytes`);
    }
    return {
      line_time_ratio: round(percentile(ratios, 50)),
      line_time_p99_ratio: round(percentile(ratios, 99)),
      receipt_wall_p50_ms: round(percentile(wallMs, 50), 1),
      receipt_line_p50_ms: round(percentile(lineMs, 50), 1),
    };
  } finally {
    await register.close().catch(() => undefined);
    await emulator.close();
  }
}

async function measurePool(params: FiscalBenchParams, receipt: ReceiptRequest): Promise<number> {
  const emulators: ShtrihEmulator[] = [];
  const members: Array<{ id: string; register: ShtrihRegister }> = [];
  const count: ByteCount = { written: 0, received: 0 };
  try {
    for (let i = 0; i < params.registers; i++) {
      const emulator = await pacedEmulator(params.baud);
      emulators.push(emulator);
      const register = await connect(emulator, count);
      await register.openShift();
      members.push({ id: `kkt${i + 1}`, register });
    }
    const pool = new RegisterPool(members, { strategy: 'shortest-queue', healthCheckIntervalMs: 10_000 });
    try {
      const total = params.receipts * params.registers;
      progress(`bench fiscal: ${total} receipts through a pool of ${params.registers} registers`);
      // Warm-up: one receipt per register.
      await Promise.all(members.map((m) => pool.submit((r) => receiptJob(r as ShtrihRegister, receipt), { affinity: m.id })));
      const t0 = performance.now();
      await Promise.all(Array.from({ length: total }, () => pool.submit((r) => receiptJob(r as ShtrihRegister, receipt))));
      const minutes = (performance.now() - t0) / 60_000;
      return total / minutes;
    } finally {
      await pool.close();
    }
  } finally {
    for (const m of members) await m.register.close().catch(() => undefined);
    for (const e of emulators) await e.close();
  }
}

export async function benchFiscal(params: FiscalBenchParams): Promise<BenchReport> {
  const receipt = benchReceipt(params.lines);
  const ratio = await measureLineTimeRatio(params, receipt);
  const perMin = await measurePool(params, receipt);
  return report('fiscal', { ...params, link: 'tcp 127.0.0.1', pacing: 'both directions, 10 bits per byte' }, {
    ...ratio,
    [`pool${params.registers}_receipts_per_min`]: round(perMin, 1),
  });
}

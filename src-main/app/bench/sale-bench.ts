// `prilavok bench sale`: the sale path in the service, on a real SQLite file with synchronous=FULL.
// scan_to_line: barcode in → line on the receipt committed; close_receipt: cash payment committed
// (sale document, fiscal job, outbox row, audit record in one transaction).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../create-app';
import type { CallContext } from '../dispatcher';
import { DEMO_USERS } from '../demo-seed';
import { DEMO_GENERATED_SKUS, generatedProducts } from '../../store/catalog-generator';
import { percentile, progress, report, round, type BenchReport } from './report';

export async function benchSale(params: { receipts: number; linesPerReceipt: number }): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-bench-sale-'));
  try {
    const app = await createApp({ dataDir: dir, demo: true });
    const session = app.newSession();
    const cashier = DEMO_USERS.find((u) => u.role === 'cashier')!;
    app.services.session.login(session, cashier.pin);
    const actor = session.user!;
    const ctx: CallContext = { session, actor, authorisedBy: null, require: () => actor };
    app.services.shift.open(actor);
    // Piece goods of the demo catalog (the same generator the lane's demo uses), looked up by barcode.
    const barcodes: string[] = [];
    for (const p of generatedProducts(DEMO_GENERATED_SKUS, 1)) {
      // Marked goods need their DataMatrix checked (bench marking measures that path): plain piece goods here.
      // The lane's catalog decides (the demo marks dairy the generator leaves unmarked).
      const product = p.barcodes[0] ? app.catalog.products.byBarcode(p.barcodes[0]) : null;
      if (product && !product.weighed && product.marking === null) barcodes.push(p.barcodes[0]!);
      if (barcodes.length >= 500) break;
    }
    if (barcodes.length < 100) throw new Error(`demo catalog has too few piece goods for the benchmark (${barcodes.length})`);

    const scanMs: number[] = [];
    const closeMs: number[] = [];
    const warmup = Math.max(5, Math.floor(params.receipts / 10));
    progress(`bench sale: ${params.receipts} receipts × ${params.linesPerReceipt} lines (+${warmup} warm-up)`);
    for (let r = 0; r < params.receipts + warmup; r++) {
      const receipt = app.services.sale.open(actor);
      for (let i = 0; i < params.linesPerReceipt; i++) {
        const t0 = process.hrtime.bigint();
        app.services.sale.scan(ctx, receipt.id, barcodes[(r * 7 + i * 13) % barcodes.length]!, 'scanner');
        if (r >= warmup) scanMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const total = app.services.sale.get(receipt.id).totals.totalKopecks;
      const t0 = process.hrtime.bigint();
      app.services.sale.payCash(ctx, receipt.id, total + 10_000);
      if (r >= warmup) closeMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    await app.close();
    return report('sale', params, {
      scan_to_line_p50_ms: round(percentile(scanMs, 50)),
      scan_to_line_p99_ms: round(percentile(scanMs, 99)),
      close_receipt_p50_ms: round(percentile(closeMs, 50)),
      close_receipt_p99_ms: round(percentile(closeMs, 99)),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

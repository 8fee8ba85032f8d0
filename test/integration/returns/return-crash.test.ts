// A return is fiscalised exactly once whatever dies when: the register's answer to the closing command is
// lost (power cut right after the FN wrote the document) and the lane's fiscal service goes down while
// the job is being reconciled; a new service finds the document on the register and does not make a
// second one. And a lane killed inside the closing transaction leaves no half return behind.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FD_TYPE } from '../../../drivers/fiscal/shtrih/commands';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { buildChildScript, projectFile } from '../../helpers/child-script';
import { login, openLane, tempDir } from '../../helpers/lane';
import { fiscalRigs, startService } from '../fiscal/helpers';
import { outboxRows, readDb, returnJobId, sellForCash, startReturnWithSupervisor } from './helpers';

const { rig, service, cleanups } = fiscalRigs('prilavok-return-crash-');

describe('a return and a crash', () => {
  it('the register made the return document but its answer was lost and the lane went down: reconciled, one document', async () => {
    const { lane, emulator } = await rig();
    const cashier = await login(lane, '1111');
    await lane.ok(cashier, 'shift.open', {});
    const sale = await sellForCash(lane, cashier, [DEMO_BARCODES.water, DEMO_BARCODES.bread]);
    const s1 = startService(lane.dir, emulator);
    s1.service.kick();
    await s1.service.whenIdle();

    const started = await startReturnWithSupervisor(lane, cashier, sale.id);
    for (const line of started.saleLines) await lane.ok(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: line.lineId, quantityMilli: line.quantityMilli });
    const closed = await lane.ok(cashier, 'return.close', { returnId: started.id });
    const jobId = returnJobId(lane, closed.id);
    emulator.arm('power-cut');
    s1.service.kick();
    for (let i = 0; i < 150 && s1.journal.job(jobId)!.state !== 'reconciling'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s1.journal.job(jobId)!.state).toBe('reconciling');
    await s1.close(); // the lane goes down while the return's outcome is unknown
    emulator.restart();

    const s2 = service(lane, emulator);
    await s2.service.whenIdle();
    const returns = emulator.device.state.documents.filter((d) => d.type === FD_TYPE.receipt && d.operationType === 2);
    expect(returns).toHaveLength(1);
    expect(returns[0]!.amountKopecks).toBe(sale.totals.totalKopecks);
    const job = s2.journal.job(jobId)!;
    expect(job).toMatchObject({ state: 'done', fdNumber: returns[0]!.fd, fiscalSign: String(returns[0]!.fiscalSign) });
    expect(job.attempts).toBeGreaterThan(0);
    expect(await lane.ok(cashier, 'returns.get', { id: closed.id })).toMatchObject({ fiscalState: 'done', fiscalDocument: { fdNumber: returns[0]!.fd } });
    // The sale's own document is still the only sale (1054 = 1).
    expect(emulator.device.state.documents.filter((d) => d.type === FD_TYPE.receipt && d.operationType === 1)).toHaveLength(1);
  });

  it('killed inside the closing transaction: no return document, job or outbox row; the return closes once after a restart', async () => {
    const work = tempDir('prilavok-return-kill-');
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'lane');
    const prepared = await openLane({ dir: dataDir });
    let returnId: string;
    try {
      const cashier = await login(prepared, '1111');
      await prepared.ok(cashier, 'shift.open', {});
      const sale = await sellForCash(prepared, cashier, [DEMO_BARCODES.water]);
      const started = await startReturnWithSupervisor(prepared, cashier, sale.id);
      await prepared.ok(cashier, 'return.setQuantity', { returnId: started.id, saleLineId: sale.lines[0].id, quantityMilli: 1000 });
      returnId = started.id;
    } finally {
      await prepared.close();
    }

    // The child closes the return and stops inside the transaction, after the document row is written.
    const child = await buildChildScript('return-kill-child', `
      import { writeSync } from 'node:fs';
      import { createApp } from ${projectFile('src-main/app/create-app.ts')};
      const app = await createApp({ dataDir: process.env.DATA_DIR, demo: true });
      const session = app.newSession();
      app.services.session.login(session, '1111');
      const actor = session.user;
      const ctx = { session, actor, authorisedBy: null, require: () => actor };
      const insert = app.sales.returns.insertReturn.bind(app.sales.returns);
      app.sales.returns.insertReturn = (...args) => {
        insert(...args);
        writeSync(1, 'IN_TX\\n');
        for (;;) { /* hold the transaction open until killed */ }
      };
      app.services.returns.closing.close(ctx, process.env.RETURN_ID, false);
    `);
    try {
      await new Promise<void>((resolve, reject) => {
        const proc = spawn(process.execPath, [child.path], { env: { ...process.env, DATA_DIR: dataDir, RETURN_ID: returnId }, stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        proc.stderr.on('data', (d) => { err += d; });
        proc.stdout.on('data', (d: Buffer) => { if (d.toString().includes('IN_TX')) proc.kill('SIGKILL'); });
        proc.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
      });
    } finally {
      child.remove();
    }

    const lane = await openLane({ dir: dataDir });
    try {
      const count = (sql: string) => readDb(lane, (db) => (db.prepare(sql).get() as { n: number }).n);
      expect(count('SELECT count(*) AS n FROM sale_returns')).toBe(0);
      expect(count("SELECT count(*) AS n FROM fiscal_jobs WHERE kind = 'receipt'")).toBe(0);
      expect(outboxRows(lane, 'receipt.returned')).toHaveLength(0);
      const cashier = await login(lane, '1111');
      expect(await lane.ok(cashier, 'return.get', { returnId })).toMatchObject({ status: 'open', lines: [{ quantityMilli: 1000 }] });
      const closed = await lane.ok(cashier, 'return.close', { returnId });
      expect(closed.number).toBe(1);
      const again = await lane.call(cashier, 'return.close', { returnId });
      expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
      expect(count("SELECT count(*) AS n FROM fiscal_jobs WHERE kind = 'receipt'")).toBe(1);
      expect(outboxRows(lane, 'receipt.returned')).toHaveLength(1);
      expect(lane.app.sales.audit.verify().ok).toBe(true);
    } finally {
      await lane.close();
    }
  });
});

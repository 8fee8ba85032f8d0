// Chaos (issue 6): 500 card payments at a real lane while the lane process is SIGKILLed at random
// moments and both bank terminals misbehave (the approval sent and the line dropped before the
// completion, silence, no answer at all, declines). The terminals are ZVT emulators and the register a
// Shtrih emulator in this process, so that they outlive every lane, as real hardware does. Afterwards,
// judged by the TERMINALS' own journals: every purchase a terminal approved and did not reverse is in
// exactly one fiscalised sale (or before a supervisor), every other approval was reversed on its own
// terminal, and no terminal operation is claimed by two lane operations (nobody is charged twice).
// PRILAVOK_PAYMENT_CHAOS=N changes the count; a failing run keeps its lane and terminals in the tmp dir.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { ZvtEmulator } from '../../../drivers/payment/zvt/emulator';
import type { JournalEntry } from '../../../drivers/payment/zvt/emulator-state';
import { seededRandom, type OneShotFault } from '../../../drivers/payment/zvt/faults';
import { buildChildScript, projectFile, type ChildScript } from '../../helpers/child-script';
import { tempDir } from '../../helpers/lane';
import { receiptDocs } from '../fiscal/helpers';

const PAYMENTS = Number(process.env.PRILAVOK_PAYMENT_CHAOS ?? 500);
/** Chance that a card command (purchase or reversal) meets a terminal fault. */
const FAULT_P = 0.12;
const work = tempDir('prilavok-payment-chaos-');
let child: ChildScript | null = null;

// The lane: sells (1–3 unmarked demo items per receipt), pays by card for all or part of the rest,
// sometimes on a terminal the cashier picks, closes with the approved cards plus cash for what is left,
// and now and then has a supervisor cancel a receipt a card already paid part of (the approval must be
// reversed). It counts card payments in its own journal, so a killed lane's successor carries on.
// FINAL=1: the end of the day — recovery, every receipt left open cancelled, reversals done, fiscal
// queue drained — and a clean exit.
const CHILD_SOURCE = `
import { mkdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from ${projectFile('src-main/app/create-app.ts')};
import { SalesStore } from ${projectFile('src-main/store/sales-store.ts')};
import { DEMO_BARCODES } from ${projectFile('src-main/store/catalog-generator.ts')};
import { seededRandom } from ${projectFile('drivers/payment/zvt/faults.ts')};

const dataDir = process.env.DATA_DIR;
const target = Number(process.env.TARGET);
const final = process.env.FINAL === '1';
const rnd = seededRandom(Number(process.env.SEED));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The lane's terminal settings are data in its sales database, written before the lane starts.
mkdirSync(dataDir, { recursive: true });
const setup = SalesStore.open(join(dataDir, 'sales.sqlite'));
const timeouts = { ackMs: 1_000, messageMs: 1_200, operationMs: 20_000 };
setup.payments.saveTerminal({ id: 'terminal-a', name: 'Терминал A', protocol: 'zvt', connection: { port: process.env.TERMINAL_A, timeouts },
  role: 'основной эквайер', routing: { priority: 1 }, enabled: true });
setup.payments.saveTerminal({ id: 'terminal-b', name: 'Терминал B', protocol: 'zvt', connection: { port: process.env.TERMINAL_B, timeouts },
  role: 'резервный эквайер', routing: { priority: 2 }, enabled: true });
// What the last lane left in doubt (sent to a terminal, answer never recorded): recovery must find it out.
const inDoubt = setup.payments.unresolved().filter((o) => o.state !== 'journalled').length;
setup.close();

const app = await createApp({ dataDir, demo: true, fiscal: { port: process.env.REGISTER }, payments: 'configured' });
const payments = app.services.payments.service;
const counter = new Database(join(dataDir, 'sales.sqlite'), { readonly: true });
const attempted = counter.prepare("SELECT count(*) AS n FROM payment_operations WHERE kind = 'purchase'");
const session = app.newSession();
let callId = 0;
const call = (name, payload, override) => app.dispatcher.dispatch(session, { type: 'call', id: ++callId, call: name, payload, ...(override ? { override } : {}) });
const failures = new Map();
const ok = async (name, payload, override) => {
  const outcome = await call(name, payload, override);
  if (outcome.ok) return outcome.result;
  if (outcome.error.code === 'INTERNAL') { process.stderr.write(name + ' failed: ' + JSON.stringify(outcome.error) + '\\n'); process.exit(3); }
  const key = name + ':' + outcome.error.code + ':' + (outcome.error.details?.problem ?? outcome.error.details?.code ?? '');
  failures.set(key, (failures.get(key) ?? 0) + 1);
  return null;
};
const SUPERVISOR = { pin: '9999' };

await ok('session.login', { pin: '1111' });
if (!(await ok('shift.current', {})).shift) await ok('shift.open', {});
writeSync(1, 'READY ' + inDoubt + '\\n');

if (final) {
  await payments.recover();
  for (const r of (await ok('receipt.list', {})).receipts) await ok('receipt.cancel', { receiptId: r.id }, SUPERVISOR);
  const journal = app.sales.payments;
  for (let round = 0; round < 100; round++) {
    await payments.recover();
    if (journal.unresolved().length === 0 && journal.unattachedApprovals().length === 0) break;
    await sleep(100);
  }
  await app.services.fiscal.whenIdle();
  writeSync(1, 'IDLE ' + JSON.stringify({ unresolved: journal.unresolved().length, unattached: journal.unattachedApprovals().length }) + '\\n');
  await app.close();
  process.exit(0);
}

const codes = [DEMO_BARCODES.bread, DEMO_BARCODES.water, DEMO_BARCODES.bag, DEMO_BARCODES.beer];
const COMMITTED = new Set(['journalled', 'sent', 'unknown', 'needs_supervisor', 'approved']);
while (attempted.get().n < target) {
  let receipt = await ok('receipt.open', {});
  if (!receipt) { await sleep(10); continue; }
  if (receipt.lines.length === 0) {
    const n = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < n; k++) receipt = (await ok('receipt.scan', { receiptId: receipt.id, code: codes[Math.floor(rnd() * codes.length)], source: 'scanner' })) ?? receipt;
  }
  const total = receipt.totals.totalKopecks;
  const ops = (await ok('payment.forReceipt', { receiptId: receipt.id }))?.operations ?? [];
  const purchases = ops.filter((o) => o.kind === 'purchase');
  const approved = purchases.filter((o) => o.state === 'approved' && o.saleId === null);
  const approvedSum = approved.reduce((s, o) => s + o.amountKopecks, 0);
  const remaining = total - purchases.filter((o) => COMMITTED.has(o.state)).reduce((s, o) => s + o.amountKopecks, 0);
  const roll = rnd();
  if (approved.length > 0 && roll < 0.08) {
    // The customer walks away: the supervisor cancels the receipt, the card payment must be reversed.
    await ok('receipt.cancel', { receiptId: receipt.id }, SUPERVISOR);
    continue;
  }
  if (remaining > 0 && roll < 0.8) {
    const amount = remaining === 1 || rnd() < 0.55 ? remaining : 1 + Math.floor(rnd() * (remaining - 1));
    const pick = rnd();
    const terminalId = pick < 0.15 ? 'terminal-a' : pick < 0.3 ? 'terminal-b' : undefined;
    const paid = await ok('payment.card', { receiptId: receipt.id, amountKopecks: amount, ...(terminalId ? { terminalId } : {}) });
    if (!paid) await sleep(20); // no terminal free: both are finding something out
    continue;
  }
  const tenders = approved.map((o) => ({ kind: 'card', operationId: o.id }));
  const cash = total - approvedSum;
  if (cash > 0) tenders.push({ kind: 'cash', tenderedKopecks: cash + (rnd() < 0.3 ? 10_000 : 0) });
  if (!(await ok('receipt.payMixed', { receiptId: receipt.id, tenders }))) await sleep(10);
}
writeSync(1, 'TARGET ' + JSON.stringify(Object.fromEntries(failures)) + '\\n');
await app.close();
process.exit(0);
`;

beforeAll(async () => { child = await buildChildScript('payment-chaos-child', CHILD_SOURCE); });
afterAll(() => { rmSync(work, { recursive: true, force: true }); child?.remove(); });

interface Life { outcome: 'killed' | 'finished'; stdout: string }

/** Runs the lane; kills it killAfterMs after READY (or after spawn when fromSpawn), null: lets it finish. */
function runLane(env: Record<string, string>, killAfterMs: number | null, fromSpawn = false): Promise<Life> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child!.path], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() });
    let out = '';
    let err = '';
    const kill = () => p.kill('SIGKILL');
    if (killAfterMs !== null && fromSpawn) setTimeout(kill, killAfterMs);
    p.stderr.on('data', (d) => { err += d; });
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (chunk: string) => {
      if (!out.includes('READY') && (out + chunk).includes('READY') && killAfterMs !== null && !fromSpawn) setTimeout(kill, killAfterMs);
      out += chunk;
    });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ outcome: 'killed', stdout: out });
      else if (code === 0) resolve({ outcome: 'finished', stdout: out });
      else reject(new Error(`lane exited ${code}: ${err}`));
    });
  });
}

type Kind = Exclude<OneShotFault, 'nak' | 'bad-crc'>;
const FAULTS: Array<[Kind, number]> = [['drop-after-approve', 0.5], ['decline', 0.15], ['hang', 0.1], ['timeout', 0.25]];

/** A ZVT terminal in this process, with random faults on card commands and its whole journal kept (the PT trims its own). */
async function terminal(name: string, seed: number, fired: Record<Kind, number>, faultsOn: () => boolean) {
  const em = await ZvtEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(work, `zvt-${name}.json`), stepDelayMs: 2 });
  const random = seededRandom(seed);
  const take = em.takeCardFault.bind(em);
  em.takeCardFault = (command) => {
    let fault = take(command);
    if (!fault && faultsOn() && random() < FAULT_P) {
      let r = random();
      const kind = FAULTS.find(([, w]) => (r -= w) < 0)?.[0] ?? 'drop-after-approve';
      // A bank refusing a reversal is a business case (a supervisor's), not a fault of the line.
      if (kind === 'decline') fault = command === 'reversal' ? null : { kind, code: 0x05 };
      else fault = { kind };
    }
    if (fault) fired[fault.kind as Kind]++;
    return fault;
  };
  const journal: JournalEntry[] = [];
  const record = em.pt.record.bind(em.pt);
  em.pt.record = (...args: Parameters<typeof record>) => {
    const entry = record(...args);
    journal.push(entry);
    return entry;
  };
  return { em, journal };
}

interface OpRow {
  id: string; receipt_id: string; sale_id: string | null; terminal_id: string; kind: string; amount_kopecks: number; state: string;
  original_id: string | null; approved: string | null; outcome: string | null; attention: string | null;
}

function laneFacts(dataDir: string) {
  const db = new Database(join(dataDir, 'sales.sqlite'), { readonly: true });
  try {
    const ops = db.prepare('SELECT * FROM payment_operations ORDER BY rowid').all() as OpRow[];
    const sales = db.prepare(`SELECT s.id, s.receipt_id, s.total_kopecks AS total, s.document, j.state AS job, j.fd_number AS fd
      FROM sales s LEFT JOIN fiscal_jobs j ON j.sale_id = s.id`).all() as Array<{ id: string; receipt_id: string; total: number; document: string; job: string | null; fd: number | null }>;
    const receipts = db.prepare('SELECT id, status, total_kopecks AS total FROM receipts').all() as Array<{ id: string; status: string; total: number }>;
    return { ops, sales, receipts };
  } finally {
    db.close();
  }
}

describe('chaos: card payments while the lane is killed at random and the terminals misbehave', () => {
  it(`${PAYMENTS} card payments: every approval is in one fiscalised sale or reversed, nobody is charged twice`, async () => {
    const dataDir = join(work, 'lane');
    const fired = { 'drop-after-approve': 0, decline: 0, hang: 0, timeout: 0 } as Record<Kind, number>;
    let faultsOn = true;
    const A = await terminal('a', 11, fired, () => faultsOn);
    const B = await terminal('b', 23, fired, () => faultsOn);
    const register = await ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(work, 'register.json'), paperReloadMs: null });
    try {
      const env = { DATA_DIR: dataDir, TERMINAL_A: `tcp://${A.em.address}`, TERMINAL_B: `tcp://${B.em.address}`,
        REGISTER: `tcp://${register.address}`, TARGET: String(PAYMENTS) };
      const random = seededRandom(20261123);
      const started = Date.now();
      let kills = 0;
      let inDoubt = 0;
      let lives = 0;
      let finished = false;
      while (!finished && lives < 200) {
        lives++;
        // Mostly while it sells; sometimes during start-up, when recovery is finding things out.
        const early = random() < 0.15;
        const life = await runLane({ ...env, SEED: String(lives) }, early ? 150 + Math.floor(random() * 900) : 300 + Math.floor(random() * 3_500), early);
        inDoubt += Number(/READY (\d+)/.exec(life.stdout)?.[1] ?? 0);
        if (life.outcome === 'killed') kills++;
        else { finished = true; console.log(`payment chaos: lane finished: ${life.stdout.trim()}`); }
      }
      expect(finished).toBe(true);
      faultsOn = false;
      const last = await runLane({ ...env, SEED: '0', FINAL: '1' }, null);
      expect(last.outcome).toBe('finished');
      inDoubt += Number(/READY (\d+)/.exec(last.stdout)?.[1] ?? 0);
      const elapsed = Date.now() - started;

      const { ops, sales, receipts } = laneFacts(dataDir);
      const purchases = ops.filter((o) => o.kind === 'purchase');
      const terminals = { 'terminal-a': A.journal, 'terminal-b': B.journal };
      const receiptNumber = (o: OpRow) => {
        const n = o.approved ? (JSON.parse(o.approved) as { receiptNumber: string | null }).receiptNumber : null;
        return n === null ? null : Number(n);
      };
      const salesById = new Map(sales.map((s) => [s.id, s]));
      const receiptById = new Map(receipts.map((r) => [r.id, r]));
      const problems: string[] = [];

      // 1. Each lane operation with the terminal's receipt number points at a real approval of that kind
      //    and amount, and no terminal operation is claimed twice.
      const claimed = new Map<string, OpRow>();
      for (const o of ops) {
        const n = receiptNumber(o);
        if (n === null) continue;
        const entry = terminals[o.terminal_id as keyof typeof terminals].find((e) => e.receiptNumber === n && e.resultCode === 0);
        const kind = o.kind === 'cancel' ? 'reversal' : o.kind;
        if (!entry || entry.kind !== kind || entry.amountKopecks !== o.amount_kopecks) problems.push(`op ${o.id} (${o.kind} ${o.amount_kopecks}, ${o.state}) claims ${o.terminal_id} receipt ${n}: ${JSON.stringify(entry)}`);
        const key = `${o.terminal_id}#${n}`;
        if (claimed.has(key)) problems.push(`${key} claimed by ${claimed.get(key)!.id} and ${o.id}`);
        else claimed.set(key, o);
      }

      // 2. Every purchase a terminal approved: reversed on that terminal and in no sale, or in exactly one
      //    fiscalised sale, or (unidentified) before a supervisor.
      const supervisorOps = purchases.filter((o) => o.state === 'needs_supervisor' && receiptNumber(o) === null);
      const explained = new Set<string>();
      let inSales = 0;
      let reversedOnTerminal = 0;
      let awaitingSupervisor = 0;
      for (const [terminalId, journal] of Object.entries(terminals)) {
        for (const e of journal.filter((x) => x.kind === 'purchase' && x.resultCode === 0)) {
          const op = claimed.get(`${terminalId}#${e.receiptNumber}`);
          if (e.reversed) {
            reversedOnTerminal++;
            if (!op) problems.push(`${terminalId} receipt ${e.receiptNumber} reversed but no lane operation knows it`);
            else if (op.sale_id !== null) problems.push(`${terminalId} receipt ${e.receiptNumber} reversed, yet in sale ${op.sale_id}`);
            else if (op.state !== 'cancelled') problems.push(`${terminalId} receipt ${e.receiptNumber} reversed, lane says ${op.state} (${op.attention}); its reversals: ${JSON.stringify(ops.filter((x) => x.original_id === op.id))}`);
            continue;
          }
          if (!op) {
            const s = supervisorOps.find((o) => o.terminal_id === terminalId && o.amount_kopecks === e.amountKopecks && !explained.has(o.id));
            if (s) { explained.add(s.id); awaitingSupervisor++; continue; }
            problems.push(`${terminalId} receipt ${e.receiptNumber} (${e.amountKopecks}) approved, the lane does not know it`);
            continue;
          }
          if (op.state === 'needs_supervisor') { awaitingSupervisor++; continue; }
          const sale = op.sale_id ? salesById.get(op.sale_id) : undefined;
          if (op.state !== 'approved' || !sale) { problems.push(`${terminalId} receipt ${e.receiptNumber} approved, lane op ${op.id} is ${op.state} in sale ${op.sale_id}`); continue; }
          const card = (JSON.parse(sale.document) as { payments: Array<{ method: string; operationId?: string; amountKopecks: number }> }).payments
            .filter((p) => p.method === 'card' && p.operationId === op.id);
          if (card.length !== 1 || card[0]!.amountKopecks !== e.amountKopecks) problems.push(`sale ${sale.id} carries ${JSON.stringify(card)} for ${terminalId} receipt ${e.receiptNumber}`);
          if (sale.job !== 'done' || sale.fd === null) problems.push(`sale ${sale.id} is not fiscalised (${sale.job})`);
          inSales++;
        }
      }

      // 3. Lane side: no approved purchase outside a sale, nothing left in doubt, no receipt paid by card beyond its total.
      for (const o of purchases) {
        if (o.state === 'approved' && o.sale_id === null) problems.push(`approved purchase ${o.id} belongs to no sale`);
        if (['journalled', 'sent', 'unknown'].includes(o.state)) problems.push(`purchase ${o.id} still ${o.state}`);
      }
      const charged = new Map<string, number>();
      for (const o of purchases.filter((x) => x.state === 'approved' || x.state === 'needs_supervisor')) charged.set(o.receipt_id, (charged.get(o.receipt_id) ?? 0) + o.amount_kopecks);
      for (const [receiptId, kopecks] of charged) {
        if (kopecks > (receiptById.get(receiptId)?.total ?? 0)) problems.push(`receipt ${receiptId} charged ${kopecks} by card, total ${receiptById.get(receiptId)?.total}`);
      }
      // 4. Every sale is paid exactly and fiscalised once; the register holds one receipt per sale.
      for (const s of sales) {
        const doc = JSON.parse(s.document) as { payments: Array<{ amountKopecks: number }> };
        if (doc.payments.reduce((sum, p) => sum + p.amountKopecks, 0) !== s.total) problems.push(`sale ${s.id} payments do not add up to ${s.total}`);
        if (s.job !== 'done') problems.push(`sale ${s.id} fiscal job ${s.job}`);
      }
      expect(receiptDocs(register)).toHaveLength(sales.length);
      expect(new Set(sales.map((s) => s.fd)).size).toBe(sales.length);
      expect(receipts.filter((r) => r.status === 'open' || r.status === 'parked')).toEqual([]);

      const states = purchases.reduce<Record<string, number>>((m, o) => ({ ...m, [o.state]: (m[o.state] ?? 0) + 1 }), {});
      const neverSent = purchases.filter((o) => ['NOT_SENT', 'NOT_STARTED'].includes((JSON.parse(o.outcome ?? 'null') as { code?: string } | null)?.code ?? '')).length;
      const onTerminal = (t: JournalEntry[]) => t.filter((e) => e.kind === 'purchase').length;
      const reversals = [...A.journal, ...B.journal].filter((e) => e.kind === 'reversal' && e.resultCode === 0).length;
      console.log(`payment chaos: ${purchases.length} card payments (${JSON.stringify(states)}; ${neverSent} never reached a terminal), ${lives} lives, ${kills} kills (${inDoubt} card operations in doubt found at start-up), `
        + `faults ${JSON.stringify(fired)}; terminal purchases A ${onTerminal(A.journal)} B ${onTerminal(B.journal)}, `
        + `${inSales} in fiscalised sales, ${reversedOnTerminal} reversed (${reversals} reversals), ${awaitingSupervisor} before a supervisor; `
        + `${sales.length} sales; ${elapsed} ms`);
      const reasons = ops.filter((o) => o.state === 'needs_supervisor').map((o) => `${o.kind} ${o.amount_kopecks} on ${o.terminal_id}: ${o.attention}`);
      if (reasons.length > 0) console.log(`before a supervisor:\n${reasons.join('\n')}`);
      if (problems.length > 0) {
        const kept = join(tmpdir(), `prilavok-payment-chaos-${process.pid}`);
        cpSync(work, kept, { recursive: true });
        console.log(`${problems.join('\n')}\n(the lane, terminals and register are kept in ${kept})`);
      }
      expect(problems).toEqual([]);
      expect(purchases.length).toBeGreaterThanOrEqual(PAYMENTS);
      expect(kills).toBeGreaterThanOrEqual(10);
      expect(fired['drop-after-approve']).toBeGreaterThan(0);
      // Doubt a supervisor must settle is the exception: an operation found out across a restart used to land there every time.
      expect(ops.filter((o) => o.state === 'needs_supervisor').length).toBeLessThanOrEqual(Math.ceil(PAYMENTS * 0.02));
    } finally {
      await A.em.close();
      await B.em.close();
      await register.close();
    }
  }, 300_000);
});

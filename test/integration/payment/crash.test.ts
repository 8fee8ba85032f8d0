// A lane process SIGKILLed in the middle of a card payment (as a power cut would): the journal says
// 'sent', and the next start finds out from the terminal what happened — never by running the sale again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildChildScript, projectFile, type ChildScript } from '../../helpers/child-script';
import { openPaymentDb, paymentRig, ScriptedTerminal, tempDir, testClock } from './helpers';

const work = tempDir('prilavok-payment-crash-');
let child: ChildScript | null = null;

// The child pays 100.00 by card (the terminal's previous operation), then 250.00; KILL_AT says where it
// freezes: 'before' the terminal performs the second operation, or 'after' it approved, before the lane hears.
const CHILD_SOURCE = `
import { writeSync } from 'node:fs';
import { openPaymentDb, paymentRig, ScriptedTerminal, seedReceipt, terminalConfig, testClock } from ${projectFile('test/integration/payment/helpers.ts')};
const db = openPaymentDb(process.env.DB_FILE);
db.journal.saveTerminal(terminalConfig('A'));
seedReceipt(db, 'r1', 100_00);
seedReceipt(db, 'r2', 250_00);
const A = new ScriptedTerminal('A', process.env.DEVICE_FILE);
A.echoReference = process.env.ECHO === '1';
const { service } = paymentRig(db, { A }, testClock());
await service.startCardPayment('r1', 100_00);
const killAt = process.env.KILL_AT;
A.onRun = () => { if (killAt === 'before') { writeSync(1, 'FROZEN\\n'); for (;;) {} } };
const run = A.run.bind(A);
A.run = async (request, progress) => {
  const outcome = await run(request, progress);
  if (killAt === 'after') { writeSync(1, 'FROZEN\\n'); for (;;) {} }
  return outcome;
};
await service.startCardPayment('r2', 250_00);
writeSync(1, 'DONE\\n');
`;

beforeAll(async () => { child = await buildChildScript('payment-crash-child', CHILD_SOURCE); });
afterAll(() => { rmSync(work, { recursive: true, force: true }); child?.remove(); });

function runChild(env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child!.path], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (chunk: string) => { if (chunk.includes('FROZEN')) p.kill('SIGKILL'); });
    p.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('a lane killed during a card payment', () => {
  it.each([
    { killAt: 'after', echo: '1', state: 'approved', performed: 2 },
    { killAt: 'after', echo: '0', state: 'approved', performed: 2 },
    { killAt: 'before', echo: '1', state: 'declined', performed: 1 },
    { killAt: 'before', echo: '0', state: 'declined', performed: 1 },
  ])('killed $killAt the terminal performed it (reference echoed: $echo): recovery finds it $state, nothing is re-run', async ({ killAt, echo, state, performed }) => {
    const dbFile = join(work, `sales-${killAt}-${echo}.sqlite`);
    const deviceFile = join(work, `device-${killAt}-${echo}.json`);
    await runChild({ DB_FILE: dbFile, DEVICE_FILE: deviceFile, KILL_AT: killAt, ECHO: echo });

    const db = openPaymentDb(dbFile);
    expect(db.journal.forReceipt('r2').map((o) => o.state)).toEqual(['sent']);
    const A = new ScriptedTerminal('A', deviceFile);
    A.echoReference = echo === '1';
    const { service } = paymentRig(db, { A }, testClock());
    const report = await service.recover();
    const [op] = service.operationsFor('r2');
    expect(op).toMatchObject({ state, amountKopecks: 250_00 });
    if (state === 'approved') expect(op!.approved).toMatchObject({ amountKopecks: 250_00, rrn: 'A-RRN-2' });
    else expect(op!.outcome).toMatchObject({ code: 'NOT_PERFORMED' });
    expect(report.resolved.map((o) => o.id)).toEqual([op!.id]);
    expect(A.performed).toHaveLength(performed);
    expect(db.audit.verify().ok).toBe(true);
    db.close();
  });
});

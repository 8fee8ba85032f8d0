// A lane whose cash drawer is wired to the fiscal register (lane setting `drawer`): a cash payment and
// a supervisor's "no sale" open it through the fiscal service on the register's own connection, each
// audited; the printer's drawer port is left alone. Real lane files, the Shtrih emulator and an ESC/POS
// printer emulator on TCP.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ShtrihEmulator } from '../../../drivers/fiscal/shtrih/emulator';
import { EscPosEmulator } from '../../../drivers/printer/escpos/emulator';
import { DRAWER_SETTINGS_KEY, REGISTER_DRAWER_SUBJECT } from '../../../src-main/services/devices/cash-drawer';
import { DEMO_BARCODES } from '../../../src-main/store/catalog-generator';
import { openLane, tempDir, type TestLane } from '../../helpers/lane';
import { until } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function laneWithRegister(o: { register?: boolean } = {}) {
  const dir = tempDir('prilavok-register-drawer-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const register = o.register === false ? null
    : await ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(dir, 'register.json'), paperReloadMs: null });
  if (register) cleanups.push(() => register.close());
  const printer = await EscPosEmulator.start({ tcp: { host: '127.0.0.1', port: 0 } });
  cleanups.push(() => printer.close());
  const lane = await openLane({ dir: join(dir, 'lane'), devices: 'configured', ...(register ? { fiscal: { port: `tcp://${register.address}` } } : {}) });
  cleanups.push(() => lane.close());
  lane.app.sales.settings.put(DRAWER_SETTINGS_KEY, { via: 'fiscal-register', drawerNumber: 1 });
  const login = async (pin: string) => { const s = lane.session(); await lane.ok(s, 'session.login', { pin }); return s; };
  const admin = await login('0000');
  const { device } = await lane.ok(admin, 'devices.save', { device: {
    name: 'Принтер', kind: 'printer', protocol: 'escpos', port: `tcp://${printer.address}`, role: 'receipt printer', enabled: true,
  } });
  await until('the printer to come up', () => lane.app.devices.manager.status().some((d) => d.id === device.id && d.state === 'up'));
  return { lane, register, printer, cashier: await login('1111') };
}

function drawerAudit(lane: TestLane) {
  const db = new Database(join(lane.dir, 'sales.sqlite'), { readonly: true });
  try {
    return (db.prepare("SELECT action, subject_id, actor_id, authorised_by, details FROM audit_log WHERE action LIKE 'drawer.%' ORDER BY seq").all() as
      Array<{ action: string; subject_id: string; actor_id: string | null; authorised_by: string | null; details: string }>)
      .map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

describe('a cash drawer wired to the fiscal register', () => {
  it('a cash payment opens it through the register, audited, and the printer\'s drawer port stays still', async () => {
    const { lane, register, printer, cashier } = await laneWithRegister();
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'wedge' });
    await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 10_000 });
    await until('the kick on the register\'s drawer 1', () => register!.drawers.kicks[1] === 1);
    await until('its audit record', () => drawerAudit(lane).length === 1);
    expect(drawerAudit(lane)[0]).toMatchObject({ action: 'drawer.opened', subject_id: REGISTER_DRAWER_SUBJECT,
      actor_id: expect.any(String) as unknown, details: { via: 'fiscal-register', drawer: 1, reason: 'payment' } });
    expect(register!.drawers.kicks[0]).toBe(0);
    expect(printer.drawerKicks).toBe(0);
    // The sale is fiscalised on the same register, once.
    await lane.app.services.fiscal!.whenIdle();
    expect(register!.device.state.documents.filter((d) => d.type === 3)).toHaveLength(1);
  });

  it('"no sale" needs a supervisor, opens it through the register, and drawer.status reports the switch', async () => {
    const { lane, register, printer, cashier } = await laneWithRegister();
    const alone = await lane.call(cashier, 'drawer.open', {});
    expect(alone.ok).toBe(false);
    expect(register!.drawers.kicks).toEqual([0, 0]);
    await lane.ok(cashier, 'drawer.open', {}, { pin: '9999' });
    expect(register!.drawers.isOpen(1)).toBe(true);
    const [opened] = drawerAudit(lane);
    expect(opened).toMatchObject({ action: 'drawer.opened', subject_id: REGISTER_DRAWER_SUBJECT, details: { reason: 'no-sale', drawer: 1 } });
    expect(opened!.authorised_by).not.toBeNull();
    expect(opened!.authorised_by).not.toBe(opened!.actor_id);
    expect(printer.drawerKicks).toBe(0);
    // The service re-reads the register's status after the kick: bit 11 of its flags.
    await until('drawer.status to show it open', () => lane.app.services.fiscal!.status().drawerOpen === true, 8_000);
    expect(await lane.ok(cashier, 'drawer.status', {})).toEqual({ via: 'fiscal-register', ready: true, open: true });
  });

  it('without a fiscal register "no sale" says so and a payment\'s kick is audited as failed, never thrown into the sale', async () => {
    const { lane, printer, cashier } = await laneWithRegister({ register: false });
    const refused = await lane.call(cashier, 'drawer.open', {}, { pin: '9999' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'INVALID_STATE', message: { ru: expect.stringContaining('регистратор не настроен') as unknown } });
    expect(await lane.ok(cashier, 'drawer.status', {})).toEqual({ via: 'fiscal-register', ready: false, open: null });
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    await lane.ok(cashier, 'receipt.scan', { receiptId: receipt.id, code: DEMO_BARCODES.bread, source: 'wedge' });
    await lane.ok(cashier, 'receipt.payCash', { receiptId: receipt.id, tenderedKopecks: 10_000 });
    await until('the failed kick\'s audit record', () => drawerAudit(lane).length === 1);
    expect(drawerAudit(lane)[0]).toMatchObject({ action: 'drawer.failed', subject_id: REGISTER_DRAWER_SUBJECT, details: { reason: 'payment' } });
    expect(printer.drawerKicks).toBe(0);
  });
});

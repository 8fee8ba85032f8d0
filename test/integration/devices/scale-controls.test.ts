// Zero and Tare from the till through the contract (scale.controls, scale.zero, scale.tare) with real
// scale emulators on TCP: what each scale offers, what the next weighing then sells, the scale's own
// words when it refuses, and the audit records of both commands.
import { afterEach, describe, expect, it } from 'vitest';
import { MassakEmulator } from '../../../drivers/scales/massak/emulator';
import { CasEmulator } from '../../../drivers/scales/cas/emulator';
import { openDeviceLane, until } from './helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

async function laneWith(protocol: 'massak' | 'cas', emulator: { address: string; close(): Promise<void> }) {
  cleanups.push(() => emulator.close());
  const lane = await openDeviceLane();
  cleanups.push(() => lane.close());
  const admin = await lane.login('0000');
  const { device } = await lane.ok(admin, 'devices.save', { device: {
    name: 'Весы', kind: 'scale', protocol, port: `tcp://${emulator.address}`, role: 'weighing scale', enabled: true,
  } });
  await lane.waitFor(device.id, 'up');
  const cashier = await lane.login('1111');
  return { lane, cashier, deviceId: device.id as string };
}

const massak = () => MassakEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, capacityGrams: 15_000 });

describe('Zero and Tare from the till', () => {
  it('a Massa-K scale offers both; zero and a tared container change what the next weighing sells, each audited', async () => {
    const scale = await massak();
    const { lane, cashier, deviceId } = await laneWith('massak', scale);
    expect(await lane.ok(cashier, 'scale.controls', {})).toEqual({ deviceId, zero: true, tare: true });

    scale.model.place(30); // crumbs on the platform, within the zero range
    await until('the 30 g reading', () => lane.app.devices.manager.weight().grams === 30);
    expect(await lane.ok(cashier, 'scale.zero', {})).toMatchObject({ deviceId, grams: 0, state: 'zero', stable: true });

    scale.model.place(30 + 250); // an empty container
    await until('the container\'s weight', () => lane.app.devices.manager.weight().grams === 250);
    expect(await lane.ok(cashier, 'scale.tare', {})).toMatchObject({ grams: 0, state: 'zero' });

    scale.model.place(30 + 250 + 1_234); // apples in the container
    await lane.ok(cashier, 'shift.open', {});
    const receipt = await lane.ok(cashier, 'receipt.open', {});
    const weighed = await lane.ok(cashier, 'receipt.addWeighed', { receiptId: receipt.id, productId: 'demo-apples' });
    expect(weighed.lines[0]).toMatchObject({ productId: 'demo-apples', quantityMilli: 1_234 });

    const audit = lane.auditActions('scale.');
    expect(audit.map((a) => [a.action, a.subject_id])).toEqual([['scale.zeroed', deviceId], ['scale.tared', deviceId]]);
    expect(audit.every((a) => a.actor_id !== null)).toBe(true);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ weightBefore: 30, weightAfter: 0 });
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ weightBefore: 250, tareBefore: 0, weightAfter: 0, tareAfter: 250 });
  });

  it('a loaded platform cannot be zeroed nor a swinging load tared: the cashier reads why, and nothing is audited', async () => {
    const scale = await massak();
    const { lane, cashier } = await laneWith('massak', scale);
    scale.model.place(5_000);
    const zero = await lane.call(cashier, 'scale.zero', {});
    expect(zero.ok).toBe(false);
    if (!zero.ok) expect(zero.error).toMatchObject({ code: 'INVALID_STATE', message: { ru: 'Обнуление невозможно: уберите груз с весов' } });

    scale.model.place(700, 60_000);
    const tare = await lane.call(cashier, 'scale.tare', {});
    expect(tare.ok).toBe(false);
    if (!tare.ok) expect(tare.error.message.ru).toMatch(/не успокоился/);
    expect(lane.auditActions('scale.')).toEqual([]);
    expect(scale.model.snapshot()).toMatchObject({ tareGrams: 0 });
  });

  it('a CAS ENQ/DC1 scale takes neither from the till: its own keys do it', async () => {
    const scale = await CasEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, format: 'ecr' });
    const { lane, cashier, deviceId } = await laneWith('cas', scale);
    expect(await lane.ok(cashier, 'scale.controls', {})).toEqual({ deviceId, zero: false, tare: false });
    const zero = await lane.call(cashier, 'scale.zero', {});
    expect(zero.ok).toBe(false);
    if (!zero.ok) expect(zero.error.message.ru).toMatch(/кнопкой на самих весах/);
  });

  it('with no scale there is nothing to zero, and the controls say so', async () => {
    const lane = await openDeviceLane();
    cleanups.push(() => lane.close());
    const cashier = await lane.login('1111');
    expect(await lane.ok(cashier, 'scale.controls', {})).toEqual({ deviceId: null, zero: false, tare: false });
    const tare = await lane.call(cashier, 'scale.tare', {});
    expect(tare.ok).toBe(false);
    if (!tare.ok) expect(tare.error).toMatchObject({ code: 'INVALID_STATE', message: { ru: 'Весы не подключены' } });
  });
});

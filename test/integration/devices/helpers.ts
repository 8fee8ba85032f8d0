// A real lane with the device manager on short timers, and what the tests need to watch it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { createApp, type PosAppInternals } from '../../../src-main/app/create-app';
import type { Session } from '../../../src-main/app/dispatcher';
import type { CallName, CallOutcome, CallRequest, DeviceStatus, EventName, Override } from '../../../src-main/contract';
import { tempDir } from '../../helpers/lane';

export interface DeviceLane {
  app: PosAppInternals;
  dir: string;
  events: Array<{ event: EventName; payload: any }>;
  call<N extends CallName>(session: Session, name: N, payload: CallRequest<N>, override?: Override): Promise<CallOutcome>;
  ok<N extends CallName>(session: Session, name: N, payload: CallRequest<N>, override?: Override): Promise<any>;
  login(pin: string): Promise<Session>;
  /** Waits until the device's state is `state` (polling devices.status through the manager). */
  waitFor(deviceId: string, state: DeviceStatus['state'], timeoutMs?: number): Promise<DeviceStatus>;
  auditActions(prefix?: string): Array<{ action: string; subject_id: string | null; actor_id: string | null; authorised_by: string | null; details: string }>;
  close(): Promise<void>;
}

export const FAST_DEVICES = { backoff: { initialMs: 100, maxMs: 400 }, scaleIntervalMs: 40, checkIntervalMs: 100 };

export async function openDeviceLane(o: { dir?: string } = {}): Promise<DeviceLane> {
  const dir = o.dir ?? tempDir('prilavok-devices-');
  const app = await createApp({ dataDir: dir, demo: true, devices: 'configured', deviceTuning: FAST_DEVICES });
  const events: DeviceLane['events'] = [];
  app.events.subscribe((event, payload) => { events.push({ event, payload }); });
  let id = 0;
  const call = (session: Session, name: string, payload: unknown, override?: Override) =>
    app.dispatcher.dispatch(session, { type: 'call', id: ++id, call: name, payload, ...(override ? { override } : {}) });
  const ok = async (session: Session, name: string, payload: unknown, override?: Override) => {
    const outcome = await call(session, name, payload, override);
    if (!outcome.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
    return outcome.result;
  };
  return {
    app, dir, events,
    call: call as DeviceLane['call'],
    ok: ok as DeviceLane['ok'],
    async login(pin) {
      const session = app.newSession();
      await ok(session, 'session.login', { pin });
      return session;
    },
    async waitFor(deviceId, state, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = app.devices.manager.status().find((d) => d.id === deviceId);
        if (status?.state === state) return status;
        if (Date.now() > deadline) throw new Error(`device ${deviceId} did not become ${state}: ${JSON.stringify(status)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    auditActions(prefix = '') {
      const db = new Database(join(dir, 'sales.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT action, subject_id, actor_id, authorised_by, details FROM audit_log WHERE action LIKE ? ORDER BY seq')
          .all(`${prefix}%`) as ReturnType<DeviceLane['auditActions']>;
      } finally {
        db.close();
      }
    },
    async close() {
      await app.close();
      if (!o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(what: string, test: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

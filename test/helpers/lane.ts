// A real lane on real SQLite files in a temp dir, for integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type PosAppInternals } from '../../src-main/app/create-app';
import type { Session } from '../../src-main/app/dispatcher';
import type { CallName, CallOutcome, CallRequest, Override } from '../../src-main/contract';
import type { Clock } from '../../src-main/services/clock';
import type { FiscalRegisterConfig } from '../../src-main/app/fiscal-register-setup';
import type { UpstreamSettings } from '../../src-main/app/lane-settings';
import type { MarkingConfig } from '../../src-main/app/marking-setup';
import type { PaymentTerminalsConfig } from '../../src-main/app/payment-setup';
import type { DevicesConfig } from '../../src-main/app/device-setup';
import type { VideoExportOptions } from '../../src-main/services/video/video-export-service';

export interface TestLane {
  app: PosAppInternals;
  dir: string;
  /** A logged-out session, like a freshly opened window. */
  session(): Session;
  /** Calls through the dispatcher, exactly as a transport would. */
  call<N extends CallName>(session: Session, name: N, payload: CallRequest<N>, override?: Override): Promise<CallOutcome>;
  /** Like call, but fails the test on an error outcome and returns the result. */
  ok<N extends CallName>(session: Session, name: N, payload: CallRequest<N>, override?: Override): Promise<any>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'prilavok-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A clock tests can move. */
export function testClock(startIso = '2026-11-23T09:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = Date.parse(startIso);
  return {
    nowMs: () => now,
    nowIso: () => new Date(now).toISOString(),
    advance(ms: number) { now += ms; },
  };
}

export async function openLane(options: { dir?: string; clock?: Clock; fiscal?: FiscalRegisterConfig; upstream?: UpstreamSettings; video?: VideoExportOptions; marking?: MarkingConfig; payments?: PaymentTerminalsConfig; devices?: DevicesConfig } = {}): Promise<TestLane> {
  const dir = options.dir ?? tempDir();
  const { dir: _dir, ...appOptions } = options;
  const app = await createApp({ dataDir: dir, demo: true, ...appOptions });
  let id = 0;
  const call = (session: Session, name: string, payload: unknown, override?: Override) =>
    app.dispatcher.dispatch(session, { type: 'call', id: ++id, call: name, payload, ...(override ? { override } : {}) });
  return {
    app,
    dir,
    session: () => app.newSession(),
    call: call as TestLane['call'],
    async ok(session, name, payload, override) {
      const outcome = await call(session, name, payload, override);
      if (!outcome.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
      return outcome.result;
    },
    async close() {
      await app.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Logs a session in with a demo PIN (1111 cashier, 9999 supervisor, 0000 administrator). */
export async function login(lane: TestLane, pin: string): Promise<Session> {
  const session = lane.session();
  await lane.ok(session, 'session.login', { pin });
  return session;
}

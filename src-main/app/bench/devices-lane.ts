// The lane of `prilavok bench devices`, in a process of its own as in production (Electron's main
// process holds the lane, nothing else): the benchmark's driver, Playwright, must not share its event
// loop — its protocol work and the AsyncLocalStorage it enables (a promise hook on every promise of the
// process) would be counted as the lane's. Started as `prilavok bench devices-lane --dir D --baud N
// --scans N` by the bench, with the emulators' ptys in D. It prints
//   LANE_READY {"url": the browser host's URL, "barcodes": piece goods to scan}
// and answers stdin lines: `idle-start` → `IDLE_STARTED`, `idle-end` → `IDLE {userUs, systemUs, wallMs,
// wakeups, notUp}` (this process's CPU time over the window, how often its main thread went to sleep and
// woke — Linux only, else null — and the devices that were not up at its end).
// SIGTERM closes the lane.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { createApp, type PosAppInternals } from '../create-app';
import { DEMO_USERS } from '../demo-seed';
import { DEMO_GENERATED_SKUS, generatedProducts } from '../../store/catalog-generator';
import { startBrowserHost, type BrowserHost } from '../../host/browser-host';
import type { DeviceDraft } from '../../contract/device-model';
import { projectRoot } from './bench-process';
import { startProfile } from './cpu-profile';

export interface DevicesLaneParams {
  dir: string;
  baud: number;
  scans: number;
}

function device(id: string, name: string, kind: DeviceDraft['kind'], protocol: string, port: string, role: string): DeviceDraft {
  return { id, name, kind, protocol, port, role, enabled: true, options: {} };
}

/** The ptys the bench's emulators create in `dir`, by device. */
export const BENCH_PTYS = { scale: 'scale', hand: 'scanner-hand', table: 'scanner-table', printer: 'printer', display: 'display' } as const;

export async function serveDevicesLane(params: DevicesLaneParams): Promise<number> {
  const pty = (name: string) => join(params.dir, name);
  let app: PosAppInternals | null = null;
  let host: BrowserHost | null = null;
  let commands: Interface | null = null;
  const closed = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
    process.stdin.once('end', resolve);
  });
  try {
    app = await createApp({ dataDir: join(params.dir, 'lane'), demo: true, devices: 'configured' });
    const admin = app.newSession();
    app.services.session.login(admin, DEMO_USERS.find((u) => u.role === 'administrator')!.pin);
    const drafts = [
      device('bench-scale', 'Весы Масса-К', 'scale', 'massak', `${pty(BENCH_PTYS.scale)}?baud=${params.baud}`, 'weighing scale'),
      device('bench-hand', 'Ручной сканер', 'scanner', 'serial', pty(BENCH_PTYS.hand), 'hand scanner'),
      device('bench-table', 'Настольный сканер', 'scanner', 'serial', pty(BENCH_PTYS.table), 'table scanner'),
      device('bench-printer', 'Принтер чеков', 'printer', 'escpos', pty(BENCH_PTYS.printer), 'receipt printer'),
      device('bench-display', 'Дисплей покупателя', 'display', 'escpos', pty(BENCH_PTYS.display), 'customer display'),
    ];
    for (const d of drafts) await app.devices.manager.save(admin.user!, d);
    app.services.shift.open(admin.user!);
    const lane = app;
    await waitFor(() => lane.devices.manager.status().every((s) => s.state === 'up'), 15_000, () =>
      `devices not up: ${JSON.stringify(lane.devices.manager.status().map((s) => [s.id, s.state]))}`);
    const barcodes = pieceGoods(app, params.scans);
    host = await startBrowserHost(app, { port: 0, rendererDir: join(projectRoot(), 'out', 'renderer'), host: '127.0.0.1' });

    let window: { cpu: NodeJS.CpuUsage; wall: number; switches: number | null; stopProfile: () => Promise<void> } | null = null;
    commands = createInterface({ input: process.stdin });
    commands.on('line', (line) => {
      void (async () => {
        if (line === 'idle-start') {
          const stopProfile = await startProfile('the idle window');
          window = { cpu: process.cpuUsage(), wall: performance.now(), switches: voluntarySwitches(), stopProfile };
          process.stdout.write('IDLE_STARTED\n');
        } else if (line === 'idle-end' && window) {
          const cpu = process.cpuUsage(window.cpu);
          const wallMs = performance.now() - window.wall;
          const switches = voluntarySwitches();
          const wakeups = switches !== null && window.switches !== null ? switches - window.switches : null;
          await window.stopProfile();
          window = null;
          const notUp = lane.devices.manager.status().filter((s) => s.state !== 'up').map((s) => s.id);
          process.stdout.write(`IDLE ${JSON.stringify({ userUs: cpu.user, systemUs: cpu.system, wallMs, wakeups, notUp })}\n`);
        }
      })();
    });
    process.stdout.write(`LANE_READY ${JSON.stringify({ url: host.url, barcodes })}\n`);
    await closed;
    return 0;
  } finally {
    // stdin would keep the process alive after a SIGTERM: the lane is closed, the process must end.
    commands?.close();
    process.stdin.destroy();
    await host?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
  }
}

/**
 * The main thread's voluntary context switches (Linux): each is the event loop going to sleep in epoll
 * and being woken, the unit an idle lane's CPU is made of. null where /proc is not there.
 */
function voluntarySwitches(): number | null {
  try {
    const match = /^voluntary_ctxt_switches:\s*(\d+)$/m.exec(readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Piece goods of the demo catalog that are not marked (a marking code needs its own check: bench marking). */
function pieceGoods(app: PosAppInternals, count: number): string[] {
  const barcodes: string[] = [];
  for (const p of generatedProducts(DEMO_GENERATED_SKUS, 1)) {
    const product = p.barcodes[0] ? app.catalog.products.byBarcode(p.barcodes[0]) : null;
    if (product && product.marking === null && product.unit === 'piece' && product.priceKopecks > 0) barcodes.push(p.barcodes[0]!);
    if (barcodes.length >= count) return barcodes;
  }
  throw new Error(`the demo catalog has too few piece goods for ${count} scans`);
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error(what());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// `prilavok bench video`: the video export's cost and speed on a real lane (SQLite files, sockets).
// event_to_socket: a sale's POS event, from the sale service's publish() to its bytes handed to the
// kernel on BOTH sinks (TRASSIR + Axxon over TCP to receiver emulators on 127.0.0.1), one event at a
// time. dead_sink_overhead: with two sinks whose video systems are down (connection refused, queue
// growing on disk), the time publish() adds to a scan on the sale path. queue_flush is the deferred
// disk write of the buffered events (next turn of the event loop, off the sale call).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VideoReceiver } from '../../../drivers/video/receiver';
import { DEMO_BARCODES } from '../../store/catalog-generator';
import type { PosEventStream } from '../../services/pos-events/pos-event-stream';
import { createApp, type PosAppInternals } from '../create-app';
import type { CallContext } from '../dispatcher';
import { DEMO_USERS } from '../demo-seed';
import { percentile, progress, report, round, type BenchReport } from './report';

export interface VideoBenchParams {
  samples: number;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A port on which nothing listens (bound, then closed): connecting is refused at once. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function lane(dir: string, onDelivered?: (sinkId: string, seq: number) => void) {
  const app = await createApp({ dataDir: dir, demo: true, video: { backoff: { initialMs: 1_000, maxMs: 30_000 }, ...(onDelivered ? { onDelivered } : {}) } });
  const session = app.newSession();
  const admin = DEMO_USERS.find((u) => u.role === 'administrator')!;
  app.services.session.login(session, admin.pin);
  const actor = session.user!;
  const ctx: CallContext = { session, actor, authorisedBy: null, require: () => actor };
  app.services.shift.open(actor);
  return { app, actor, ctx };
}

function addSinks(app: PosAppInternals, actor: { id: string; name: string; role: 'administrator' | 'cashier' | 'supervisor' }, ports: { trassir: number; axxon: number }): string[] {
  const common = { transport: 'tcp' as const, host: '127.0.0.1', enabled: true, camera: 1, timeZone: 'Europe/Moscow', encoding: 'utf-8' as const };
  return [
    app.services.video.save(actor, { ...common, name: 'TRASSIR', protocol: 'trassir', port: ports.trassir, terminalId: 'cas_1' }).id,
    app.services.video.save(actor, { ...common, name: 'Axxon', protocol: 'axxon', port: ports.axxon, terminalId: 'POS-1' }).id,
  ];
}

/** Times every publish() of the stream (the part of a sale operation the export adds). */
function timePublish(stream: PosEventStream, into: number[] | null, onPublish: (atMs: number) => void): void {
  const original = stream.publish.bind(stream);
  stream.publish = (event) => {
    const t0 = nowMs();
    onPublish(t0);
    original(event);
    into?.push(nowMs() - t0);
  };
}

export async function benchVideo(params: VideoBenchParams): Promise<BenchReport> {
  const warmup = Math.max(50, Math.floor(params.samples / 10));
  const dirs: string[] = [];
  const receivers: VideoReceiver[] = [];
  try {
    // 1. event → socket with two live sinks.
    progress(`bench video: event_to_socket, 2 sinks, ${params.samples} events (+${warmup} warm-up)`);
    const trassir = await VideoReceiver.start({ protocol: 'trassir', port: 0 });
    const axxon = await VideoReceiver.start({ protocol: 'axxon', port: 0 });
    receivers.push(trassir, axxon);
    dirs.push(mkdtempSync(join(tmpdir(), 'prilavok-bench-video-')));
    const delivered = new Map<string, { count: number; lastMs: number }>();
    let waiter: (() => void) | null = null;
    let target = 0;
    const live = await lane(dirs[0]!, (sinkId) => {
      const d = delivered.get(sinkId) ?? { count: 0, lastMs: 0 };
      d.count += 1;
      d.lastMs = nowMs();
      delivered.set(sinkId, d);
      if (waiter && delivered.size === 2 && [...delivered.values()].every((x) => x.count >= target)) waiter();
    });
    const sinkIds = addSinks(live.app, live.actor, { trassir: trassir.port, axxon: axxon.port });
    while (!sinkIds.every((id) => live.app.services.video.status(id).state === 'connected')) await new Promise((r) => setTimeout(r, 10));
    let publishedAt = 0;
    timePublish(live.app.services.posEvents, null, (t) => { publishedAt = t; });
    const socketMs: number[] = [];
    const receipt = live.app.services.sale.open(live.actor);
    await turn();
    for (let i = 0; i < params.samples + warmup; i++) {
      await turn();
      target = Math.min(...sinkIds.map((id) => delivered.get(id)?.count ?? 0)) + 1;
      const arrived = new Promise<void>((resolve) => { waiter = resolve; });
      // The same product again: one line.added event per scan (merged into one line).
      live.app.services.sale.scan(live.ctx, receipt.id, DEMO_BARCODES.bread, 'scanner');
      const t0 = publishedAt;
      await arrived;
      waiter = null;
      const t1 = Math.max(...sinkIds.map((id) => delivered.get(id)!.lastMs));
      if (i >= warmup) socketMs.push(t1 - t0);
    }
    const invalid = trassir.errors.length + axxon.errors.length;
    await live.app.close();

    // 2. Dead sinks: the overhead publish() adds to the sale path, and the deferred queue write.
    progress(`bench video: dead_sink_overhead, 2 dead sinks, ${params.samples} scans (+${warmup} warm-up)`);
    dirs.push(mkdtempSync(join(tmpdir(), 'prilavok-bench-video-dead-')));
    const dead = await lane(dirs[1]!);
    addSinks(dead.app, dead.actor, { trassir: await deadPort(), axxon: await deadPort() });
    const publishMs: number[] = [];
    timePublish(dead.app.services.posEvents, publishMs, () => undefined);
    const flushMs: number[] = [];
    const video = dead.app.services.video as unknown as { flush: () => void };
    const flush = video.flush;
    (video as { flush: () => void }).flush = () => {
      const t0 = nowMs();
      flush();
      flushMs.push(nowMs() - t0);
    };
    const deadReceipt = dead.app.services.sale.open(dead.actor);
    const scanMs: number[] = [];
    for (let i = 0; i < params.samples + warmup; i++) {
      await turn();
      const t0 = nowMs();
      dead.app.services.sale.scan(dead.ctx, deadReceipt.id, DEMO_BARCODES.bread, 'scanner');
      if (i >= warmup) scanMs.push(nowMs() - t0);
    }
    await turn();
    const deadStatus = dead.app.services.video.list().status;
    const overhead = publishMs.slice(-params.samples);
    const flushes = flushMs.slice(-params.samples);
    await dead.app.close();

    return report('video', { ...params }, {
      event_to_socket_p50_ms: round(percentile(socketMs, 50)),
      event_to_socket_p99_ms: round(percentile(socketMs, 99)),
      dead_sink_overhead_p50_ms: round(percentile(overhead, 50), 4),
      dead_sink_overhead_p99_ms: round(percentile(overhead, 99), 4),
      queue_flush_p99_ms: round(percentile(flushes, 99)),
      scan_dead_sinks_p99_ms: round(percentile(scanMs, 99)),
      dead_sink_queued_events_ratio: round(Math.min(...deadStatus.map((s) => s.pending)) / (params.samples + warmup), 3),
      receiver_invalid_frames_ratio: round(invalid / Math.max(1, trassir.frames.length + axxon.frames.length), 3),
    });
  } finally {
    for (const r of receivers) await r.close().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

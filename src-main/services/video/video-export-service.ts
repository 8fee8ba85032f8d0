// Video-surveillance export: every POS event goes to each enabled sink (TRASSIR, Axxon, text feed),
// each with its own terminal/camera mapping. The sale path only pays for an array push: events are
// buffered in memory and written to the on-disk queue on the next turn of the event loop, then each
// sink's driver sends them in order, reconnecting with backoff while its video system is away.
// The queue is bounded per sink; what a long outage pushes out is counted and shown in the status.
import { join } from 'node:path';
import { PosError, VideoSinkConfig, type User, type VideoSinkDraft, type VideoSinkStatus } from '../../contract';
import { errors } from '../../app/errors';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../../drivers/video/backoff';
import type { SinkTarget } from '../../../drivers/video/format';
import { VIDEO_FORMATS } from '../../../drivers/video/formats';
import { sampleReceiptEvents } from '../../../drivers/video/sample-receipt';
import { VideoSink } from '../../../drivers/video/sink';
import { isTimeZone } from '../../../drivers/video/text';
import { TcpFrameTransport, UdpFrameTransport, type FrameTransport } from '../../../drivers/video/transport';
import type { SalesStore } from '../../store/sales-store';
import { VideoQueue } from '../../store/video-queue';
import { newId } from '../../store/ids';
import type { Clock } from '../clock';
import type { PosEvent } from '../pos-events/pos-event';
import type { PosEventStream } from '../pos-events/pos-event-stream';
import { MAX_VIDEO_SINKS, readSinks, VIDEO_SINKS_KEY } from './sink-settings';

export interface VideoExportOptions {
  /** Undelivered events kept per sink; older ones are evicted (counted). 20 000 ≈ a busy day of one lane. */
  maxPendingPerSink?: number;
  backoff?: BackoffPolicy;
  connectTimeoutMs?: number;
  log?: (message: string) => void;
  /** Benchmarks watch deliveries through this. */
  onDelivered?: (sinkId: string, seq: number) => void;
}

export const DEFAULT_MAX_PENDING_PER_SINK = 20_000;

interface RunningSink {
  config: VideoSinkConfig;
  sink: VideoSink | null;
}

export function sinkTarget(config: VideoSinkConfig): SinkTarget {
  return { terminalId: config.terminalId, camera: config.camera, timeZone: config.timeZone, encoding: config.encoding };
}

function transportFor(config: VideoSinkConfig, connectTimeoutMs: number): FrameTransport {
  const endpoint = { host: config.host, port: config.port, connectTimeoutMs };
  return config.transport === 'udp' ? new UdpFrameTransport(endpoint) : new TcpFrameTransport(endpoint);
}

export class VideoExportService {
  private readonly running = new Map<string, RunningSink>();
  private buffer: PosEvent[] = [];
  private flushScheduled = false;
  private unsubscribe: (() => void) | null = null;
  private readonly log: (message: string) => void;
  private readonly backoff: BackoffPolicy;
  private readonly connectTimeoutMs: number;

  private constructor(
    private readonly store: SalesStore,
    private readonly queue: VideoQueue,
    private readonly stream: PosEventStream,
    private readonly clock: Clock,
    private readonly laneId: string,
    private readonly options: VideoExportOptions,
  ) {
    this.log = options.log ?? ((message) => console.error(message));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
  }

  static open(deps: { store: SalesStore; stream: PosEventStream; clock: Clock; laneId: string; dataDir: string }, options: VideoExportOptions = {}): VideoExportService {
    const queue = VideoQueue.open(join(deps.dataDir, 'video-queue.sqlite'), options.maxPendingPerSink ?? DEFAULT_MAX_PENDING_PER_SINK);
    return new VideoExportService(deps.store, queue, deps.stream, deps.clock, deps.laneId, options);
  }

  start(): void {
    for (const config of readSinks(this.store, this.log)) this.running.set(config.id, { config, sink: null });
    this.queue.syncSinks(this.enabledIds());
    for (const entry of this.running.values()) this.startSink(entry);
    this.unsubscribe = this.stream.subscribe(this.onEvent);
  }

  /** The listener on the POS event stream: on the sale path, so it only buffers. */
  private readonly onEvent = (event: PosEvent): void => {
    if (!this.hasEnabledSink) return;
    this.buffer.push(event);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  };

  private hasEnabledSink = false;

  /** Writes buffered events to the queue and wakes the sinks. Never throws. */
  readonly flush = (): void => {
    this.flushScheduled = false;
    const events = this.buffer;
    this.buffer = [];
    if (events.length > 0) {
      try {
        this.queue.append(events);
      } catch (error) {
        this.log(`[video] ${events.length} events could not be queued: ${(error as Error).message}`);
      }
    }
    for (const entry of this.running.values()) entry.sink?.wake();
  };

  list(): { sinks: VideoSinkConfig[]; status: VideoSinkStatus[] } {
    const sinks = [...this.running.values()].map((e) => e.config);
    return { sinks, status: sinks.map((s) => this.status(s.id)) };
  }

  status(sinkId: string): VideoSinkStatus {
    const entry = this.running.get(sinkId);
    if (!entry) throw errors.notFound('video sink', sinkId);
    const stats = this.queue.stats(sinkId);
    const health = entry.sink?.status();
    return {
      sinkId,
      state: !entry.config.enabled ? 'disabled' : health?.state ?? 'stopped',
      lastError: health?.lastError ?? null,
      lastDeliveredAt: health?.lastDeliveredAt ?? null,
      retryAt: health?.retryAt ?? null,
      pending: stats?.pending ?? 0,
      evicted: stats?.evicted ?? 0,
      lastEvictedAt: stats?.lastEvictedAt ?? null,
      sentEvents: health?.sentEvents ?? 0,
    };
  }

  save(actor: User, draft: VideoSinkDraft): VideoSinkConfig {
    if (!isTimeZone(draft.timeZone)) {
      throw errors.invalidState('Неизвестный часовой пояс', 'Unknown time zone', { timeZone: draft.timeZone });
    }
    const isNew = draft.id === undefined || !this.running.has(draft.id);
    if (isNew && this.running.size >= MAX_VIDEO_SINKS) {
      throw errors.limit('Слишком много видеосистем на кассе', 'Too many video sinks on the lane', { max: MAX_VIDEO_SINKS });
    }
    const config = VideoSinkConfig.parse({ ...draft, id: draft.id ?? newId() });
    const entries = new Map(this.running);
    entries.set(config.id, { config, sink: this.running.get(config.id)?.sink ?? null });
    this.persist(actor, isNew ? 'video.addSink' : 'video.updateSink', config.id, { ...config }, entries);
    this.restart(config);
    return config;
  }

  remove(actor: User, sinkId: string): void {
    const entry = this.running.get(sinkId);
    if (!entry) throw errors.notFound('video sink', sinkId);
    const entries = new Map(this.running);
    entries.delete(sinkId);
    this.persist(actor, 'video.removeSink', sinkId, { name: entry.config.name, protocol: entry.config.protocol }, entries);
    entry.sink?.stop();
    this.running.delete(sinkId);
    this.refreshEnabled();
  }

  /**
   * Sends the sample receipt straight to the sink over a connection of its own (not through the
   * queue: the lane's real events keep their order), so the administrator sees at once whether the
   * video system is reachable and what it shows.
   */
  async test(sinkId: string): Promise<{ sentEvents: number }> {
    const entry = this.running.get(sinkId);
    if (!entry) throw errors.notFound('video sink', sinkId);
    const { config } = entry;
    const format = VIDEO_FORMATS[config.protocol];
    const transport = transportFor(config, this.connectTimeoutMs);
    const events = sampleReceiptEvents(this.clock.nowIso(), this.laneId);
    try {
      await transport.open();
      for (const event of events) await transport.send(format.encode(event, sinkTarget(config)));
      return { sentEvents: events.length };
    } catch (error) {
      throw new PosError('INVALID_STATE', {
        ru: `Видеосистема недоступна: ${config.host}:${config.port}`, en: `The video system is unreachable: ${config.host}:${config.port}`,
      }, { reason: (error as Error).message.slice(0, 200) });
    } finally {
      transport.close();
    }
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.flush();
    for (const entry of this.running.values()) entry.sink?.stop();
    this.queue.close();
  }

  private persist(actor: User, action: string, subjectId: string, details: Record<string, unknown>, entries: Map<string, RunningSink>): void {
    const at = this.clock.nowIso();
    this.store.transaction(() => {
      this.store.settings.put(VIDEO_SINKS_KEY, [...entries.values()].map((e) => e.config));
      this.store.audit.append({ at, actorId: actor.id, authorisedBy: null, action, subjectId, details });
    });
  }

  private restart(config: VideoSinkConfig): void {
    this.running.get(config.id)?.sink?.stop();
    const entry: RunningSink = { config, sink: null };
    this.running.set(config.id, entry);
    this.refreshEnabled();
    this.startSink(entry);
  }

  private refreshEnabled(): void {
    this.flush(); // events published before the change belong to the sinks of before
    this.queue.syncSinks(this.enabledIds());
  }

  private enabledIds(): string[] {
    const ids = [...this.running.values()].filter((e) => e.config.enabled).map((e) => e.config.id);
    this.hasEnabledSink = ids.length > 0;
    return ids;
  }

  private startSink(entry: RunningSink): void {
    if (!entry.config.enabled) return;
    const id = entry.config.id;
    entry.sink = new VideoSink({
      format: VIDEO_FORMATS[entry.config.protocol],
      target: sinkTarget(entry.config),
      transport: transportFor(entry.config, this.connectTimeoutMs),
      backlog: {
        next: (limit) => this.queue.next(id, limit).map((r) => ({ seq: r.seq, event: r.event as PosEvent })),
        delivered: (seq) => this.queue.markDelivered(id, seq),
      },
      backoff: this.backoff,
      now: () => this.clock.nowMs(),
      log: this.log,
      ...(this.options.onDelivered ? { onDelivered: (seq: number) => this.options.onDelivered!(id, seq) } : {}),
    });
    entry.sink.start();
  }
}

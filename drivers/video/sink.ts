// The sink driver: takes the events a sink has not yet delivered, in order, from its backlog (the
// service's on-disk queue), encodes them for its video system and sends them; reconnects with
// backoff when the video system is away; marks each event delivered once its bytes are handed to the
// kernel, so an event is sent once and only once per sink unless the lane dies between the write and
// the mark. It never throws into its caller and never blocks the sale: all of it runs on timers.
import type { PosEvent } from '../../src-main/services/pos-events/pos-event';
import { backoffDelayMs, type BackoffPolicy } from './backoff';
import type { SinkTarget, VideoFormat } from './format';
import type { FrameTransport } from './transport';

export interface QueuedEvent {
  seq: number;
  event: PosEvent;
}

/** Where the sink reads its undelivered events and records what it delivered. */
export interface SinkBacklog {
  /** Undelivered events after the last delivered one, oldest first. */
  next(limit: number): QueuedEvent[];
  delivered(seq: number): void;
}

export type SinkState = 'stopped' | 'connecting' | 'connected' | 'waiting';

export interface SinkHealth {
  state: SinkState;
  lastError: string | null;
  /** ISO time of the last successful send, or null. */
  lastDeliveredAt: string | null;
  /** When the next connection attempt is due (state 'waiting'). */
  retryAt: string | null;
  failures: number;
  sentEvents: number;
  /** Events the encoder could not encode (a bug): skipped so that they cannot block the queue. */
  skippedEvents: number;
}

export interface VideoSinkOptions {
  format: VideoFormat;
  target: SinkTarget;
  transport: FrameTransport;
  backlog: SinkBacklog;
  backoff: BackoffPolicy;
  /** Events read from the backlog per round. */
  batch?: number;
  now?: () => number;
  random?: () => number;
  onDelivered?: (seq: number) => void;
  log?: (message: string) => void;
}

export class VideoSink {
  private state: SinkState = 'stopped';
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly health: Omit<SinkHealth, 'state'> = {
    lastError: null, lastDeliveredAt: null, retryAt: null, failures: 0, sentEvents: 0, skippedEvents: 0,
  };

  constructor(private readonly options: VideoSinkOptions) {
    options.transport.onClosed((reason) => {
      if (this.state === 'stopped') return;
      this.health.lastError = reason;
      this.state = 'waiting';
      this.schedule(backoffDelayMs(Math.max(1, this.health.failures), this.options.backoff, this.options.random));
    });
  }

  /** Connects (so that the status shows the truth before the first sale) and sends what is queued. */
  start(): void {
    if (this.state !== 'stopped') return;
    this.state = 'connecting';
    this.wake();
  }

  /** New events are in the backlog. Cheap; does nothing while waiting out a backoff. */
  wake(): void {
    if (this.state === 'stopped' || this.state === 'waiting') return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  status(): SinkHealth {
    return { state: this.state, ...this.health };
  }

  stop(): void {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.options.transport.close();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    const now = this.options.now?.() ?? Date.now();
    this.health.retryAt = new Date(now + delayMs).toISOString();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.health.retryAt = null;
      if (this.state === 'waiting') {
        this.state = 'connecting';
        this.wake();
      }
    }, delayMs);
    this.timer.unref?.();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    const { transport, backlog, format, target } = this.options;
    try {
      do {
        this.again = false;
        if (!transport.isOpen) {
          this.state = 'connecting';
          await transport.open();
          if ((this.state as SinkState) === 'stopped') return transport.close();
        }
        this.state = 'connected';
        for (;;) {
          const batch = backlog.next(this.options.batch ?? 100);
          if (batch.length === 0) break;
          for (const { seq, event } of batch) {
            let frame: Buffer[];
            try {
              frame = format.encode(event, target);
            } catch (error) {
              this.health.skippedEvents += 1;
              this.options.log?.(`[video] cannot encode ${event.kind} (seq ${seq}) for ${format.protocol}: ${(error as Error).message}`);
              backlog.delivered(seq);
              continue;
            }
            await transport.send(frame);
            if ((this.state as SinkState) === 'stopped') return;
            backlog.delivered(seq);
            this.health.sentEvents += 1;
            this.health.failures = 0;
            this.health.lastDeliveredAt = new Date(this.options.now?.() ?? Date.now()).toISOString();
            this.options.onDelivered?.(seq);
          }
        }
      } while (this.again);
    } catch (error) {
      if ((this.state as SinkState) === 'stopped') return;
      transport.close();
      this.health.failures += 1;
      this.health.lastError = (error as Error).message;
      this.state = 'waiting';
      this.schedule(backoffDelayMs(this.health.failures, this.options.backoff, this.options.random));
    } finally {
      this.pumping = false;
    }
  }
}

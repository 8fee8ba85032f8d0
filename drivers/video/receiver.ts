// A video system's receiving end, for tests, the demo and on-site checks: listens on TCP (or UDP for
// TRASSIR), cuts the stream into messages, validates each with the format's strict parser and
// reports a parsed frame or a clear error. Stopping is graceful, as a real server going down for
// maintenance: it stops accepting, says goodbye (FIN) and keeps reading what the lane already sent
// until the lane closes its side, so that nothing in flight is silently dropped.
import dgram from 'node:dgram';
import net from 'node:net';
import { decodeText, VideoFrameError, type ParsedFrame, type TextEncoding, type VideoProtocol } from './format';
import { VIDEO_FORMATS } from './formats';

export interface ReceivedFrame extends ParsedFrame {
  protocol: VideoProtocol;
  raw: string;
}

export interface ReceiverError {
  protocol: VideoProtocol;
  reason: string;
  raw: string;
}

export interface ReceiverOptions {
  protocol: VideoProtocol;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  udp?: boolean;
  encoding?: TextEncoding;
  onFrame?: (frame: ReceivedFrame) => void;
  onError?: (error: ReceiverError) => void;
  /** How long a graceful stop waits for the lane to close its side before cutting it off. */
  drainMs?: number;
}

export class VideoReceiver {
  readonly frames: ReceivedFrame[] = [];
  readonly errors: ReceiverError[] = [];
  private readonly sockets = new Set<net.Socket>();
  private connectionCount = 0;

  private constructor(
    private readonly options: ReceiverOptions,
    private readonly server: net.Server | null,
    private readonly udp: dgram.Socket | null,
    readonly port: number,
  ) {}

  static async start(options: ReceiverOptions): Promise<VideoReceiver> {
    const host = options.host ?? '127.0.0.1';
    if (options.udp) {
      if (options.protocol !== 'trassir') throw new Error('UDP is offered by TRASSIR only');
      const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(options.port, host, () => { socket.off('error', reject); resolve(); });
      });
      const receiver = new VideoReceiver(options, null, socket, socket.address().port);
      socket.on('message', (message) => receiver.accept(decodeText(message, 'utf-8')));
      return receiver;
    }
    let receiver: VideoReceiver | null = null;
    const server = net.createServer((socket) => receiver?.attach(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => { server.off('error', reject); resolve(); });
    });
    receiver = new VideoReceiver(options, server, null, (server.address() as net.AddressInfo).port);
    return receiver;
  }

  /** TCP connections accepted so far (a reconnecting lane shows up here). */
  get connections(): number {
    return this.connectionCount;
  }

  private attach(socket: net.Socket): void {
    this.connectionCount += 1;
    this.sockets.add(socket);
    const framer = VIDEO_FORMATS[this.options.protocol].framer(this.options.encoding ?? 'utf-8');
    socket.on('data', (chunk: Buffer) => {
      for (const message of framer(chunk)) this.accept(message);
    });
    socket.on('error', () => undefined);
    socket.on('end', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private accept(message: string): void {
    if (message.trim() === '') return;
    const protocol = this.options.protocol;
    try {
      const parsed = VIDEO_FORMATS[protocol].parse(message);
      const frame: ReceivedFrame = { protocol, ...parsed, raw: message };
      this.frames.push(frame);
      this.options.onFrame?.(frame);
    } catch (error) {
      const reason = error instanceof VideoFrameError ? error.message : `receiver bug: ${(error as Error).message}`;
      const failure: ReceiverError = { protocol, reason, raw: message };
      this.errors.push(failure);
      this.options.onError?.(failure);
    }
  }

  async close(): Promise<void> {
    if (this.udp) {
      await new Promise<void>((resolve) => this.udp!.close(() => resolve()));
      return;
    }
    const server = this.server!;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const drainMs = this.options.drainMs ?? 1_000;
    await Promise.all([...this.sockets].map((socket) => new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), drainMs);
      socket.once('close', () => { clearTimeout(timer); resolve(); });
      socket.end();
    })));
    await closed;
  }
}

// Bytes to a video system: a TCP client (Axxon, TRASSIR, text feed) or UDP datagrams (TRASSIR).
// send() resolves when the bytes are handed to the kernel (the write callback): none of these
// protocols acknowledges anything, so that is the strongest "delivered" a sender can know. A TCP
// peer that closes (FIN) or resets the connection makes the transport closed at once; the sink
// decides when to reconnect.
import dgram from 'node:dgram';
import net from 'node:net';

export interface FrameTransport {
  readonly kind: 'tcp' | 'udp';
  open(): Promise<void>;
  readonly isOpen: boolean;
  /** Sends the messages of one event: one write on TCP, one datagram each on UDP. */
  send(messages: Buffer[]): Promise<void>;
  /** Called once when an open transport goes away by itself (peer closed, reset, error). */
  onClosed(listener: (reason: string) => void): void;
  close(): void;
}

export interface Endpoint {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}

export class TcpFrameTransport implements FrameTransport {
  readonly kind = 'tcp';
  private socket: net.Socket | null = null;
  private closedListener: ((reason: string) => void) | null = null;

  constructor(private readonly endpoint: Endpoint) {}

  get isOpen(): boolean {
    return this.socket !== null && !this.socket.destroyed && this.socket.writable;
  }

  onClosed(listener: (reason: string) => void): void {
    this.closedListener = listener;
  }

  open(): Promise<void> {
    this.close();
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.endpoint.host, port: this.endpoint.port });
      const timer = setTimeout(() => fail(new Error(`connect timeout after ${this.endpoint.connectTimeoutMs ?? 3000} ms`)), this.endpoint.connectTimeoutMs ?? 3000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 10_000);
        this.socket = socket;
        const gone = (reason: string) => {
          if (this.socket !== socket) return;
          this.socket = null;
          socket.destroy();
          this.closedListener?.(reason);
        };
        // Video systems send nothing we need; read and drop so that their bytes never fill a buffer.
        socket.on('data', () => undefined);
        socket.on('end', () => gone('the video system closed the connection'));
        socket.on('error', (error) => gone(error.message));
        socket.on('close', () => gone('connection closed'));
        resolve();
      });
    });
  }

  send(messages: Buffer[]): Promise<void> {
    const socket = this.socket;
    if (!socket || !this.isOpen) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      socket.write(messages.length === 1 ? messages[0]! : Buffer.concat(messages), (error) => {
        // In the kernel's hands. A peer that closes gracefully (FIN) still reads what we sent before
        // we noticed, so success here counts as delivered; only a crash of the peer can lose it.
        if (error) reject(error);
        else resolve();
      });
    });
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
  }
}

/** Largest frame we put in one datagram: below the usual MTU-safe limit for IPv4 UDP payloads. */
export const MAX_DATAGRAM_BYTES = 65_000;

/**
 * UDP has no flow control: a backlog sent at full speed after a restart overflows the receiver's
 * socket buffer and is lost (measured: ~40 % of 300 datagrams on loopback). Datagrams are therefore
 * paced at most one per gapMs (1 ms: a thousand events a second, far above a lane's rate).
 */
export const UDP_GAP_MS = 1;

export class UdpFrameTransport implements FrameTransport {
  readonly kind = 'udp';
  private socket: dgram.Socket | null = null;
  private lastSentAt = 0;

  constructor(private readonly endpoint: Endpoint, private readonly gapMs = UDP_GAP_MS) {}

  get isOpen(): boolean {
    return this.socket !== null;
  }

  onClosed(): void {
    // UDP has no connection to lose.
  }

  open(): Promise<void> {
    this.close();
    const socket = dgram.createSocket(net.isIPv6(this.endpoint.host) ? 'udp6' : 'udp4');
    socket.on('error', () => undefined); // a send error is reported to send()'s callback
    socket.unref();
    this.socket = socket;
    return Promise.resolve();
  }

  async send(messages: Buffer[]): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new Error('not open');
    for (const message of messages) {
      if (message.length > MAX_DATAGRAM_BYTES) throw new Error(`a message of ${message.length} bytes does not fit a datagram`);
      const wait = this.lastSentAt + this.gapMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastSentAt = performance.now();
      await new Promise<void>((resolve, reject) => {
        socket.send(message, this.endpoint.port, this.endpoint.host, (error) => (error ? reject(error) : resolve()));
      });
    }
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    try {
      socket?.close();
    } catch { /* already closed */ }
  }
}

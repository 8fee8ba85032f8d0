// The one thing every driver needs from a link: bytes out, bytes in, close. Timeouts belong to the
// driver (it knows how long each command may take), so a transport never times out on its own.
export interface ByteTransport {
  /**
   * 'tcp' for a socket, 'serial' for any other byte stream (a serial port, a pty, a USB bulk pipe):
   * some protocols behave differently over a socket (Shtrih's 0xFF after ACK).
   */
  readonly kind: 'serial' | 'tcp';
  /** Resolves when the bytes are handed to the OS (drained for serial ports). */
  write(bytes: Uint8Array): Promise<void>;
  /** Registers the receiver of incoming bytes; returns a function that unregisters it. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once when the far side goes away or the port fails; not called after close(). */
  onClose(listener: (error: Error | null) => void): () => void;
  close(): Promise<void>;
  /**
   * A hint from a reader that knows its frame's length: `bytes` more complete the frame in progress (0: it
   * is complete; null: not known). A transport that gathers a slow line's bytes (serial) then waits about
   * that long before it reads again, instead of its default; others ignore it. Never needed for
   * correctness: bytes arrive either way.
   */
  expect?(bytes: number | null): void;
  /**
   * A request → answer device on a slow line (a polled scale): the request just written will be answered
   * with `bytes` bytes. A transport that can (serial, on a POSIX tty) then stops reading as bytes come and
   * reads the answer in one go when it should be whole (answer-collector.ts); from then on it reads only
   * when the reader waits (expect) or asks (readPending). Others ignore it. Never needed for correctness.
   */
  awaitAnswer?(bytes: number): void;
  /** Delivers now whatever has arrived and not been delivered yet (a transport collecting answers). */
  readPending?(): void;
}

export class TransportError extends Error {
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Shared listener bookkeeping for the implementations. */
export class TransportEvents {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly closeListeners = new Set<(error: Error | null) => void>();
  private closed = false;

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => { this.dataListeners.delete(listener); };
  }

  onClose(listener: (error: Error | null) => void): () => void {
    this.closeListeners.add(listener);
    return () => { this.closeListeners.delete(listener); };
  }

  emitData(chunk: Uint8Array): void {
    for (const listener of this.dataListeners) listener(chunk);
  }

  emitClose(error: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(error);
  }
}

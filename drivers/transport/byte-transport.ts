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

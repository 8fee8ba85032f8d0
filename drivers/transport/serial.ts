// ByteTransport over a serial port (a real COM/tty device or one end of a pty pair).
// Line settings (data bits, parity, stop bits) reach the OS's termios; a socat pty stores them but
// does not enforce them, so tests check they arrived, not that a mismatched peer fails.
import { closeSync, constants as fsConstants, openSync, writeSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';
import { SerialPort } from 'serialport';
import { AnswerCollector } from './answer-collector';
import { TransportError, TransportEvents, type ByteTransport } from './byte-transport';
import { lineBitsPerByte, resolveSerialLine, type ResolvedSerialLine, type SerialLine } from './serial-line';

export interface SerialOptions extends SerialLine { path: string }

/** A serial ByteTransport also tells the line settings serialport opened it with. */
export interface SerialTransport extends ByteTransport { readonly line: ResolvedSerialLine }

/** The line settings of a transport opened by openSerial; null for any other transport. */
export function serialLineOf(t: ByteTransport): ResolvedSerialLine | null {
  return t.kind === 'serial' && 'line' in t ? (t as SerialTransport).line : null;
}

/** Added to a write's line time before the device counts as gone. */
const WRITE_MARGIN_MS = 2_000;

/**
 * Reads are gathered for this many byte times at slow rates, at most MAX_GATHER_MS. A slow line (a 9600
 * baud scale, a USB-serial adapter that hands over each byte as it comes) delivers a frame a byte or two
 * per wake-up; after the first chunk reading stops for the time of about one short frame (20 bytes: a
 * Massa-K weight answer, a scanned EAN-13 with its suffix), so the rest of the frame piles up in the
 * driver's buffer and comes in one read. A reader that knows how much of its frame is missing says so
 * (ByteTransport.expect) and the wait is that long instead. The first bytes arrive at once. Each wake-up
 * of the lane costs ~60 µs of CPU on a small VM: a 9600-baud scale polled 20 times a second is most of an
 * idle lane's CPU, so the number of reads per answer matters. At 38 400 baud and above nothing is gathered.
 */
const GATHER_BYTES = 20;
const MAX_GATHER_MS = 20;

/** How long to let bytes gather after a chunk at this line rate (0: read again at once). */
export function gatherMs(line: ResolvedSerialLine): number {
  if (line.baudRate >= 38_400) return 0;
  const ms = (GATHER_BYTES * lineBitsPerByte(line) * 1000) / line.baudRate;
  return Math.min(MAX_GATHER_MS, Math.floor(ms));
}

/** Bytes one read may take: far more than a frame of any serial device we drive. */
const READ_BUFFER_BYTES = 4096;

/**
 * A second descriptor of the same tty, opened before serialport takes its exclusive lock. serialport
 * reads and writes through the thread pool (for every chunk a read, a failed read and a poll; for every
 * write a write and a tcdrain): a polled 9600-baud scale cost ~2–5 ms of CPU per exchange in ~24 loop
 * wake-ups. On this descriptor a tty read stream reads on the event loop itself, one wake-up per chunk,
 * paused while a frame gathers, and a short write goes straight into the tty's buffer. POSIX ttys only
 * (a real port, a USB-CDC device, a pty); elsewhere, and when the path is not a tty, serialport does
 * both as before. serialport still opens the port: it owns the line settings (termios).
 */
function openTtyDescriptor(path: string): number | null {
  if (process.platform === 'win32') return null;
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDWR | fsConstants.O_NOCTTY | fsConstants.O_NONBLOCK);
  } catch {
    return null;
  }
  if (isatty(fd)) return fd;
  closeSync(fd);
  return null;
}

export async function openSerial(options: SerialOptions): Promise<SerialTransport> {
  const events = new TransportEvents();
  const line = resolveSerialLine(options, { baudRate: 115_200 });
  const { baudRate } = line;
  const readerFd = openTtyDescriptor(options.path);
  const port = new SerialPort({ path: options.path, ...line, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error
    ? reject(new TransportError(`cannot open ${options.path}: ${error.message}`, { path: options.path }))
    : resolve()))).catch((error: unknown) => {
    if (readerFd !== null) closeSync(readerFd);
    throw error;
  });
  let closing = false;
  const lost = (error: Error | null) => { if (!closing) events.emitClose(error); };
  let reader: ReadStream | null = null;
  let slowWrites = 0;
  // What the reader said the frame in progress still needs (ByteTransport.expect); null: not known.
  let expected: number | null = null;
  // Answers of a polled device on a slow line, read in one go (ByteTransport.awaitAnswer).
  let answers: AnswerCollector | null = null;
  if (readerFd !== null) {
    const gather = gatherMs(line);
    const byteMs = (lineBitsPerByte(line) * 1000) / baudRate;
    const resume = () => { if (!closing && !input.destroyed && !answers?.collecting) input.resume(); };
    // After a chunk: the reader has parsed it (its microtasks ran before this check callback), so a
    // known frame length sets the wait — the rest of the frame's line time — and otherwise the default.
    const pauseAfterChunk = () => {
      const wait = expected === null ? gather : Math.min(MAX_GATHER_MS, Math.ceil(expected * byteMs));
      expected = null;
      if (wait <= 0) resume();
      else setTimeout(resume, wait);
    };
    // onread: each read lands in one reused buffer (no allocation per chunk), and returning false stops
    // reading at once (a paused 'data' stream would go on reading into its queue).
    const input = new ReadStream(readerFd, {
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
        callback: (bytes: number, buffer: Buffer) => {
          events.emitData(new Uint8Array(buffer.subarray(0, bytes)));
          if (gather === 0 || closing) return true;
          setImmediate(pauseAfterChunk);
          return false;
        },
      },
    } as ConstructorParameters<typeof ReadStream>[1]);
    reader = input;
    if (gather > 0) {
      answers = new AnswerCollector({
        fd: readerFd, byteMs,
        deliver: (chunk) => events.emitData(chunk),
        lost: (error) => lost(error),
        pauseReader: () => input.pause(),
      });
    }
    // A pulled USB adapter or a pty whose other end closed: EIO on the read, or the end of input.
    input.on('error', (error: Error) => lost(error));
    input.on('end', () => lost(null));
    input.resume();
  } else {
    port.on('data', (chunk: Buffer) => events.emitData(new Uint8Array(chunk)));
  }
  port.on('close', () => lost(null));
  port.on('error', (error: Error) => lost(error));
  // What serialport itself holds after opening: the proof that the settings reached it.
  const held = port.settings as Partial<ResolvedSerialLine>;
  const opened: ResolvedSerialLine = {
    baudRate: held.baudRate ?? baudRate, dataBits: held.dataBits ?? line.dataBits,
    parity: held.parity ?? line.parity, stopBits: held.stopBits ?? line.stopBits,
  };
  return {
    kind: 'serial',
    line: opened,
    write: (bytes) => {
      answers?.wrote(bytes.length);
      // Straight into the tty's buffer when it takes the whole frame; a device that stopped reading
      // (buffer full: EAGAIN, or a short write) goes the long way below, which notices it.
      // Bytes must leave in order: while a write is on the long way, later ones follow it there.
      if (readerFd !== null && reader && !reader.destroyed && slowWrites === 0) {
        try {
          const written = writeSync(readerFd, bytes);
          if (written === bytes.length) return Promise.resolve();
          bytes = bytes.subarray(written);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          // As on the long way: the write fails, the link's owner decides (a pty whose peer is between
          // two openings answers EIO for a while and then works again).
          if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
            return Promise.reject(new TransportError(`write failed: ${(error as Error).message}`, { path: options.path }));
          }
        }
      }
      return writeThroughSerialport(bytes);
    },
    onData: (l) => events.onData(l),
    onClose: (l) => events.onClose(l),
    expect: (bytes) => {
      if (answers?.collecting) answers.expect(bytes);
      else expected = bytes;
    },
    awaitAnswer: (bytes) => answers?.awaitAnswer(bytes),
    readPending: () => answers?.readPending(),
    close: () => new Promise<void>((resolve) => {
      closing = true;
      answers?.stop();
      reader?.destroy();
      if (!port.isOpen) { resolve(); return; }
      port.close(() => resolve());
    }),
  };

  function writeThroughSerialport(bytes: Uint8Array): Promise<void> {
    slowWrites++;
    return new Promise<void>((resolve, reject) => {
      // A device that stops reading (unplugged, or a pty whose other end is gone) makes drain wait
      // forever; past the line time of the bytes plus a margin the link counts as lost.
      const limitMs = WRITE_MARGIN_MS + Math.ceil((bytes.length * lineBitsPerByte(line) * 1000) / baudRate);
      let finished = false;
      const finish = () => { if (!finished) { finished = true; slowWrites--; } };
      const timer = setTimeout(() => {
        const error = new TransportError(`write timed out after ${limitMs} ms: the device is not reading`, { path: options.path });
        finish();
        reject(error);
        if (!closing) events.emitClose(error);
      }, limitMs);
      const settle = (error: TransportError | null) => {
        clearTimeout(timer);
        finish();
        if (error) reject(error); else resolve();
      };
      port.write(Buffer.from(bytes), (error) => {
        if (error) { settle(new TransportError(`write failed: ${error.message}`)); return; }
        port.drain((drainError) => settle(drainError ? new TransportError(`drain failed: ${drainError.message}`) : null));
      });
    });
  }
}

// What bytes may form a scanned code, whatever the link: printable ASCII, the separators GS (FNC1 in
// GS1 / Честный знак codes), RS and EOT (ISO/IEC 15434 envelopes), and valid UTF-8 (a QR code may
// carry text). Line noise almost never passes: it has control bytes or breaks UTF-8.
const ALLOWED_CONTROLS = new Set([0x1d, 0x1e, 0x04]);

/** The code's text, verbatim, or null when the bytes cannot be a code. */
export function decodeCodeBytes(frame: ArrayLike<number>): string | null {
  for (let i = 0; i < frame.length; i++) {
    const b = frame[i]!;
    if ((b < 0x20 && !ALLOWED_CONTROLS.has(b)) || b === 0x7f) return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(frame));
  } catch {
    return null;
  }
}

// The slip file `p`: the text to print, one line per line. It may hold two copies (customer and
// merchant); SetRetail's plugin shows they are separated by a line starting with 0x01 (a cut mark,
// configurable on the terminal) after a "=====" border. We keep every line and drop the cut mark,
// form feeds and trailing blanks; the printer driver decides where to cut.
const MAX_SLIP_CHARS = 256 * 1024;

export function parseSlip(text: string): string[] {
  const lines = text.slice(0, MAX_SLIP_CHARS).split(/\r?\n|\r/).map((l) => l.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '').trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

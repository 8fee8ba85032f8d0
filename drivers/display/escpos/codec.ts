// Epson ESC/POS customer display commands (DM-D series and the "Epson mode" of clones; seen in the
// POSX XP8200 and DM-D110 manuals): ESC @ initialise, CLR 0C clear, US $ x y cursor to column x
// (1–20), row y (1–2), US MD1 overwrite mode (no scrolling when the last cell is written),
// ESC t n character table. Which n selects CP866 differs by model (UNCONFIRMED; 17 as on Epson
// printers is the default here, clones often use a DIP switch instead).
export const DISPLAY_CMD = {
  initialize: Uint8Array.of(0x1b, 0x40),
  clear: Uint8Array.of(0x0c),
  overwriteMode: Uint8Array.of(0x1f, 0x01),
  cursorOff: Uint8Array.of(0x1f, 0x43, 0x00),
} as const;

export function cursorTo(column: number, row: number): Uint8Array {
  return Uint8Array.of(0x1f, 0x24, column & 0xff, row & 0xff);
}

export function selectTable(n: number): Uint8Array { return Uint8Array.of(0x1b, 0x74, n & 0xff); }

// Line settings reach serialport and the OS. A socat pty enforces none of them (reference §6: a
// 7E1 side talks to an 8N1 side without error), and Linux ptys do not even keep CSIZE and PARENB
// (stty reads back cs8 -parenb whatever was set), so data bits and parity are checked in
// serialport's settings, baud rate and stop bits in the pty's termios as well.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openScalePort } from '../../../../drivers/scales/port';
import { METTLER_LINE } from '../../../../drivers/scales/mettler8217/driver';
import { openPort } from '../../../../drivers/transport/open-port';
import { serialLineOf } from '../../../../drivers/transport/serial';
import { createPtyPair } from '../../../../drivers/transport/pty';

const stty = (path: string) => execFileSync('stty', ['-F', path, '-a'], { encoding: 'utf8' });

describe('serial line settings on a real pty', () => {
  it('a port spec sets 7E1 at 4800 and 8N2 at 19200', async () => {
    const pty = await createPtyPair();
    try {
      const t = await openPort(`${pty.hostPath}?baud=4800&bits=7&parity=even&stop=1`);
      expect(serialLineOf(t)).toEqual({ baudRate: 4_800, dataBits: 7, parity: 'even', stopBits: 1 });
      const s = stty(pty.hostPath);
      expect(s).toMatch(/speed 4800 baud/);
      expect(s).toMatch(/-cstopb\b/);
      await t.close();
      const t2 = await openPort(pty.hostPath, {}, { baudRate: 19_200, stopBits: 2 });
      expect(serialLineOf(t2)).toEqual({ baudRate: 19_200, dataBits: 8, parity: 'none', stopBits: 2 });
      const s2 = stty(pty.hostPath);
      expect(s2).toMatch(/speed 19200 baud/);
      expect(s2).toMatch(/(^|\s)cstopb\b/);
      await t2.close();
    } finally {
      await pty.close();
    }
  });

  it('a Mettler 8217 port opens 7E1 by default and the spec can override it', async () => {
    const pty = await createPtyPair();
    try {
      const t = await openScalePort(pty.hostPath, METTLER_LINE);
      expect(serialLineOf(t)).toEqual({ baudRate: 9_600, dataBits: 7, parity: 'even', stopBits: 1 });
      await t.close();
      const t2 = await openScalePort(`${pty.hostPath}?frame=8N1`, METTLER_LINE);
      expect(serialLineOf(t2)).toMatchObject({ dataBits: 8, parity: 'none' });
      await t2.close();
    } finally {
      await pty.close();
    }
  });

  it('a bad spec fails before anything is opened', async () => {
    await expect(openPort('/dev/null?parity=sometimes')).rejects.toThrow(/parity/);
  });
});

// The serial transport on a real pty: a device that goes away must fail a write, never hang it.
import { describe, expect, it } from 'vitest';
import { createPtyPair } from '../../../../drivers/transport/pty';
import { openSerial } from '../../../../drivers/transport/serial';

describe('the serial transport', () => {
  it('carries bytes both ways over a pty', async () => {
    const pty = await createPtyPair();
    const host = await openSerial({ path: pty.hostPath });
    const device = await openSerial({ path: pty.devicePath });
    try {
      const got = new Promise<number[]>((resolve) => device.onData((b) => resolve([...b])));
      await host.write(new Uint8Array([0x05, 0x06]));
      expect(await got).toEqual([0x05, 0x06]);
    } finally {
      await host.close();
      await device.close();
      await pty.close();
    }
  });

  it('rejects a write to a device that went away instead of hanging', async () => {
    const pty = await createPtyPair();
    const host = await openSerial({ path: pty.hostPath });
    await pty.close(); // the cable is pulled: nobody reads the other end any more
    for (let i = 0; i < 20; i++) {
      const outcome = await host.write(new Uint8Array(4096).fill(0x55)).then(() => 'written', (e: Error) => e.message);
      if (outcome !== 'written') {
        expect(outcome).toMatch(/write failed|drain failed|timed out/);
        break;
      }
      expect(i, 'every write succeeded although nobody reads').toBeLessThan(19);
    }
    await host.close();
  }, 30_000);
});

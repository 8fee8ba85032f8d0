// A scale emulator on a real pty pair (socat) or TCP, with the driver opened on the other end.
import { createPtyPair, type PtyPair } from '../../../../drivers/transport/pty';
import type { Scale } from '../../../../drivers/scales/scale';

export interface Emulated { address: string; close(): Promise<void> }

export interface Rig<E extends Emulated, S extends Scale> { emulator: E; scale: S; port: string; close(): Promise<void> }

export async function startRig<E extends Emulated, S extends Scale>(
  kind: 'pty' | 'tcp',
  startEmulator: (where: { serialPath: string } | { tcp: { host: string; port: number } }) => Promise<E>,
  openScale: (port: string) => Promise<S>,
): Promise<Rig<E, S>> {
  let pty: PtyPair | null = null;
  if (kind === 'pty') pty = await createPtyPair();
  const emulator = await startEmulator(pty ? { serialPath: pty.devicePath } : { tcp: { host: '127.0.0.1', port: 0 } });
  const port = pty ? pty.hostPath : `tcp://${emulator.address}`;
  const scale = await openScale(port);
  return {
    emulator, scale, port,
    async close() {
      await scale.close().catch(() => undefined);
      await emulator.close();
      await pty?.close();
    },
  };
}

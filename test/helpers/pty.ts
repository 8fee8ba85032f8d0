// Real pty pairs (socat) and Shtrih emulators on them or on TCP, for driver integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPtyPair, type PtyPair } from '../../drivers/transport/pty';
import { ShtrihEmulator, type EmulatorOptions } from '../../drivers/fiscal/shtrih/emulator';
import { ShtrihRegister, type ShtrihOptions } from '../../drivers/fiscal/shtrih/driver';

export type LinkKind = 'pty' | 'tcp';

export interface ShtrihRig {
  emulator: ShtrihEmulator;
  register: ShtrihRegister;
  stateFile: string;
  /** What a driver opens: the pty path or tcp://host:port. */
  port: string;
  /** Reopens the driver (a fresh process would). */
  reopenRegister(options?: ShtrihOptions): Promise<ShtrihRegister>;
  close(): Promise<void>;
}

/** Short timeouts so fault tests stay fast; real devices get the spec's defaults. */
export const FAST_DRIVER: ShtrihOptions = {
  link: { enqTimeoutMs: 150, ackTimeoutMs: 150, enqRetries: 3 },
  answerTimeoutMs: { default: 600 },
};

export async function startShtrihRig(kind: LinkKind, options: Partial<EmulatorOptions> = {}, driver: ShtrihOptions = FAST_DRIVER): Promise<ShtrihRig> {
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-shtrih-'));
  const stateFile = join(dir, 'state.json');
  let pty: PtyPair | null = null;
  if (kind === 'pty') pty = await createPtyPair();
  const emulator = await ShtrihEmulator.start({
    ...(pty ? { serialPath: pty.devicePath } : { tcp: { host: '127.0.0.1', port: 0 } }),
    stateFile, paperReloadMs: null, ...options,
  });
  const port = pty ? pty.hostPath : `tcp://${emulator.address}`;
  const registers: ShtrihRegister[] = [];
  const open = async (o: ShtrihOptions = driver) => {
    const r = await ShtrihRegister.open(port, o);
    registers.push(r);
    return r;
  };
  const register = await open();
  return {
    emulator, register, stateFile, port,
    reopenRegister: open,
    async close() {
      for (const r of registers) await r.close().catch(() => undefined);
      await emulator.close();
      await pty?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

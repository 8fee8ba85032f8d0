// A ZVT emulator on a real pty pair (socat) or TCP socket, and a driver connected to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPtyPair, type PtyPair } from '../../../../drivers/transport/pty';
import { ZvtEmulator, type ZvtEmulatorOptions } from '../../../../drivers/payment/zvt/emulator';
import type { ZvtTerminal } from '../../../../drivers/payment/zvt/driver';
import { openZvtTerminal, type ZvtPortOptions } from '../../../../drivers/payment/zvt/open';

export type LinkKind = 'pty' | 'tcp';

/** Short timeouts so fault tests stay fast; real PTs get ecrterm's T1–T4. */
export const FAST: ZvtPortOptions = { timeouts: { byteMs: 200, messageMs: 700, ackMs: 500, operationMs: 5_000 }, language: 'both' };

export interface ZvtRig {
  emulator: ZvtEmulator;
  terminal: ZvtTerminal;
  port: string;
  stateFile: string;
  open(options?: ZvtPortOptions): Promise<ZvtTerminal>;
  close(): Promise<void>;
}

export async function startZvtRig(kind: LinkKind, options: Partial<ZvtEmulatorOptions> = {}, driver: ZvtPortOptions = FAST): Promise<ZvtRig> {
  const dir = mkdtempSync(join(tmpdir(), 'prilavok-zvt-'));
  const stateFile = join(dir, 'state.json');
  let pty: PtyPair | null = null;
  if (kind === 'pty') pty = await createPtyPair();
  const emulator = await ZvtEmulator.start({
    ...(pty ? { serialPath: pty.devicePath } : { tcp: { host: '127.0.0.1', port: 0 } }),
    stateFile, stepDelayMs: 5, ackTimeoutMs: 1_000, ...options,
  });
  const port = pty ? pty.hostPath : `tcp://${emulator.address}`;
  const terminals: ZvtTerminal[] = [];
  const open = async (o: ZvtPortOptions = driver) => {
    const t = await openZvtTerminal(port, o);
    terminals.push(t);
    return t;
  };
  const terminal = await open();
  return {
    emulator, terminal, port, stateFile, open,
    async close() {
      for (const t of terminals) await t.close().catch(() => undefined);
      await emulator.close();
      await pty?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

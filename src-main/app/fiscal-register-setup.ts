// Which fiscal register the lane drives: a configured port (serial path or tcp://host:port), or —
// in the demo configuration — a Shtrih-M emulator started in-process on 127.0.0.1, keeping its fiscal
// drive in the data directory so that documents survive restarts like a real one's do.
import { join } from 'node:path';
import { ShtrihEmulator } from '../../drivers/fiscal/shtrih/emulator';
import { ShtrihRegister } from '../../drivers/fiscal/shtrih/driver';
import type { FiscalRegister } from '../../drivers/fiscal/fiscal-register';

export type FiscalRegisterConfig = 'demo-emulator' | { port: string; baudRate?: number };

export interface FiscalRegisterSetup {
  /** Opens a connection; the fiscal service calls it again after a link failure. */
  connect(): Promise<FiscalRegister>;
  /** Where the register is, for the status screen. */
  readonly address: string;
  close(): Promise<void>;
}

export async function setUpFiscalRegister(config: FiscalRegisterConfig, dataDir: string): Promise<FiscalRegisterSetup> {
  if (config === 'demo-emulator') {
    const emulator = await ShtrihEmulator.start({ tcp: { host: '127.0.0.1', port: 0 }, stateFile: join(dataDir, 'demo-fiscal-register.json'), paperReloadMs: 3_000 });
    const address = `tcp://${emulator.address}`;
    return { address, connect: () => ShtrihRegister.open(address), close: () => emulator.close() };
  }
  return { address: config.port, connect: () => ShtrihRegister.open(config.port, { baudRate: config.baudRate ?? 115_200 }), close: async () => undefined };
}

// `prilavok emulate truapi --port N [--hosts 3] [--latency-ms 50] [--keys K1,K2]`
// `prilavok emulate lm --port N [--status ready] [--user admin --password admin] [--last-sync-hours-ago H]`
// `prilavok emulate tspiot --port N [--token T] [--latency-ms N]`
// Prints one line `LISTENING <url>` when ready (for truapi: the cdnBase; its hosts listen on the next
// ports, or on any free ports with --port 0), then runs until SIGTERM/SIGINT. Tests and demos steer a
// running emulator with `POST <url>/__control` and a JSON command (docs/marking.md, "Emulators").
import { LM_STATUSES, LocalModuleEmulator, type LocalModuleState } from './lm-emulator';
import { TrueApiEmulator } from './truapi-emulator';
import { TspiotEmulator } from './tspiot-emulator';

export type MarkingEmulatorDevice = 'truapi' | 'lm' | 'tspiot';

export interface CliIo { stdout: (text: string) => void; stderr: (text: string) => void }
const processIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

const USAGE: Record<MarkingEmulatorDevice, string> = {
  truapi: 'usage: prilavok emulate truapi --port N [--hosts 3] [--latency-ms 0] [--keys KEY1,KEY2]\n',
  lm: `usage: prilavok emulate lm --port N [--status ${LM_STATUSES.join('|')}] [--user admin] [--password admin] [--last-sync-hours-ago H]\n`,
  tspiot: 'usage: prilavok emulate tspiot --port N [--token T] [--latency-ms 0]\n',
};
const KNOWN: Record<MarkingEmulatorDevice, string[]> = {
  truapi: ['port', 'hosts', 'latency-ms', 'keys'],
  lm: ['port', 'status', 'user', 'password', 'last-sync-hours-ago'],
  tspiot: ['port', 'token', 'latency-ms'],
};

export async function runMarkingEmulator(device: MarkingEmulatorDevice, argv: string[], io: CliIo = processIo, stopSignal?: AbortSignal): Promise<number> {
  const usage = USAGE[device];
  if (!usage) { io.stderr('usage: prilavok emulate truapi|lm|tspiot --port N …\n'); return 2; }
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) { io.stderr(usage); return 2; }
    if (!KNOWN[device].includes(key.slice(2))) { io.stderr(`unknown option ${key}\n${usage}`); return 2; }
    args.set(key.slice(2), value);
  }
  const int = (name: string, min: number, max: number): number | undefined | null => {
    const text = args.get(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    return Number.isInteger(n) && n >= min && n <= max ? n : null;
  };
  const port = int('port', 0, 65535);
  if (port === undefined || port === null) { io.stderr(usage); return 2; }
  for (const name of ['hosts', 'latency-ms', 'last-sync-hours-ago']) {
    if (int(name, 0, 1_000_000) === null) { io.stderr(`bad --${name} '${args.get(name)}'\n`); return 2; }
  }

  let running: { url: string; close(): Promise<void> } | null = null;
  try {
    switch (device) {
      case 'truapi': {
        const hosts = int('hosts', 1, 32);
        if (hosts === null) { io.stderr('bad --hosts (1..32)\n'); return 2; }
        const e = await TrueApiEmulator.start({
          port, hosts: hosts ?? 3, latencyMs: int('latency-ms', 0, 1_000_000) ?? 0,
          apiKeys: args.get('keys')?.split(',').filter(Boolean) ?? null,
        });
        running = { url: e.cdnBase, close: () => e.close() };
        break;
      }
      case 'lm': {
        const status = args.get('status') ?? 'ready';
        if (!(LM_STATUSES as readonly string[]).includes(status)) { io.stderr(`bad --status '${status}'\n${usage}`); return 2; }
        const hoursAgo = int('last-sync-hours-ago', 0, 1_000_000);
        const e = await LocalModuleEmulator.start({
          port, status: status as LocalModuleState,
          ...(args.has('user') ? { user: args.get('user')! } : {}),
          ...(args.has('password') ? { password: args.get('password')! } : {}),
          ...(hoursAgo != null ? { lastSync: Date.now() - hoursAgo * 3_600_000 } : {}),
        });
        running = e;
        break;
      }
      case 'tspiot': {
        const e = await TspiotEmulator.start({ port, token: args.get('token') ?? null, latencyMs: int('latency-ms', 0, 1_000_000) ?? 0 });
        running = e;
        break;
      }
    }
    io.stdout(`LISTENING ${running.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      stopSignal?.addEventListener('abort', stop, { once: true });
      if (stopSignal?.aborted) stop();
    });
    return 0;
  } catch (error) {
    io.stderr(`prilavok emulate ${device}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await running?.close();
  }
}

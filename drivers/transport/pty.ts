// A pty pair made by socat, for emulators and tests: two linked paths that behave like the two ends
// of a null-modem cable. Waits until both links exist; close() stops socat and removes the links.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransportError } from './byte-transport';

export interface PtyPair {
  /** The path a device (emulator) opens. */
  readonly devicePath: string;
  /** The path a driver opens. */
  readonly hostPath: string;
  readonly pid: number | undefined;
  close(): Promise<void>;
}

export interface PtyPairOptions {
  devicePath?: string;
  hostPath?: string;
  socatPath?: string;
  readyTimeoutMs?: number;
}

export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  let dir: string | null = null;
  const tmp = () => (dir ??= mkdtempSync(join(tmpdir(), 'prilavok-pty-')));
  const devicePath = options.devicePath ?? join(tmp(), 'device');
  const hostPath = options.hostPath ?? join(tmp(), 'host');
  const socat = options.socatPath ?? '/usr/bin/socat';
  const child: ChildProcess = spawn(socat, ['-d', '-d',
    `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-2000); });
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.once('error', (e) => { stderr += String(e); exited = true; });

  const deadline = Date.now() + (options.readyTimeoutMs ?? 5_000);
  // socat logs "starting data transfer loop" once both ptys exist; the links can appear a moment earlier.
  while (!(existsSync(devicePath) && existsSync(hostPath) && stderr.includes('starting data transfer loop'))) {
    if (exited) throw new TransportError(`socat exited: ${stderr.trim()}`, { devicePath, hostPath });
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new TransportError('socat did not create the pty pair in time', { devicePath, hostPath, stderr });
    }
    await new Promise((r) => setTimeout(r, 10));
  }

  return {
    devicePath,
    hostPath,
    pid: child.pid,
    async close() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 1_000);
        await exitPromise;
        clearTimeout(timer);
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

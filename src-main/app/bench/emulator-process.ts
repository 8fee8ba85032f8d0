// An emulator in a process of its own for a benchmark (`prilavok emulate …`), so that the lane's process
// holds only the lane: an in-process emulator's work (its HTTP server, its timers, its garbage) would
// land in the lane's timings and CPU. It is driven as its CLI documents: stdin lines or HTTP control.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** out/main/cli.js → the project root, where bin/prilavok.mjs lives. */
export function projectRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export class EmulatorProcess {
  private constructor(private readonly child: ChildProcess, readonly readyLine: string) {}

  /** Starts `prilavok emulate ARGS…` and waits for its ready line (the one starting with readyPrefix). */
  static async start(args: string[], readyPrefix: string): Promise<EmulatorProcess> {
    const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'prilavok.mjs'), 'emulate', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`emulate ${args[0]} did not print ${readyPrefix} within 15 s`)), 15_000);
      lines.on('line', (l) => { if (l.startsWith(readyPrefix)) { clearTimeout(timer); resolve(l); } });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulate ${args[0]} exited with ${code}`)); });
    }).catch((error: unknown) => { child.kill('SIGKILL'); throw error; });
    return new EmulatorProcess(child, line);
  }

  /** One line on the emulator's stdin (a scale's `put`, a scanner's code). */
  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

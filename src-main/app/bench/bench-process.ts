// A process of its own for a benchmark, driven by lines on its stdin and stdout: an emulator
// (`prilavok emulate …`), so that the lane's process holds only the lane — an in-process emulator's work
// (its HTTP server, its timers, its garbage) would land in the lane's timings and CPU — or the lane itself
// when the benchmark's driver (Playwright) must not share its process (bench devices).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** out/main/cli.js → the project root, where bin/prilavok.mjs lives. */
export function projectRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export class BenchProcess {
  private readonly waiting: Array<{ prefix: string; resolve: (line: string) => void; reject: (error: Error) => void }> = [];

  private constructor(private readonly child: ChildProcess, lines: Interface, readonly readyLine: string, private readonly label: string) {
    lines.on('line', (l) => {
      const i = this.waiting.findIndex((w) => l.startsWith(w.prefix));
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(l);
    });
    child.once('exit', (code, signal) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`${label} exited (${code ?? signal}) before answering ${w.prefix}`));
    });
  }

  /** Starts `prilavok ARGS…` and waits for its ready line (the one starting with readyPrefix). */
  static async start(args: string[], readyPrefix: string, timeoutMs = 15_000): Promise<BenchProcess> {
    const label = args.slice(0, 2).join(' ');
    const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'prilavok.mjs'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label} did not print ${readyPrefix} within ${timeoutMs / 1000} s`)), timeoutMs);
      const onLine = (l: string) => {
        if (!l.startsWith(readyPrefix)) return;
        clearTimeout(timer);
        lines.off('line', onLine);
        resolve(l);
      };
      lines.on('line', onLine);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${label} exited with ${code}`)); });
    }).catch((error: unknown) => { child.kill('SIGKILL'); throw error; });
    return new BenchProcess(child, lines, line, label);
  }

  /** The process id (to read its CPU time from outside). */
  get pid(): number {
    return this.child.pid!;
  }

  /** One line on the process's stdin (a scale's `put`, a scanner's code). */
  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** Sends a line and waits for the answer line starting with replyPrefix. */
  ask(line: string, replyPrefix: string): Promise<string> {
    const answer = new Promise<string>((resolve, reject) => this.waiting.push({ prefix: replyPrefix, resolve, reject }));
    this.send(line);
    return answer;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** An emulator (`prilavok emulate ARGS…`) in a process of its own. */
export const EmulatorProcess = {
  start: (args: string[], readyPrefix: string): Promise<BenchProcess> => BenchProcess.start(['emulate', ...args], readyPrefix),
};

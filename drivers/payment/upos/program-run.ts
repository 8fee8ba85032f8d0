// One run of the sb_pilot program in its working directory: the transport of this protocol.
// It deletes the previous `e` and `p` (a stale file must never be read as this run's answer), spawns
// the program with a deadline, forwards console lines as progress, and reports what it saw:
// the exit, `return:N` on stdout, and the bytes of `e` and `p`. It decides nothing about outcomes.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeUposText, type UposEncoding } from './text-encoding';

export const RESULT_FILE = 'e';
export const SLIP_FILE = 'p';

export interface ProgramRunOptions {
  program: string;
  /** Put before the command's own arguments (e.g. a script path when `program` is an interpreter). */
  programArgs: readonly string[];
  workDir: string;
  encoding: UposEncoding;
  timeoutMs: number;
  /** After SIGTERM on timeout, how long before SIGKILL. */
  killGraceMs: number;
  onLine?: (line: string) => void;
}

export type ProgramRunResult =
  | { started: false; error: NodeJS.ErrnoException }
  | {
    started: true;
    timedOut: boolean;
    exitCode: number | null;
    signal: NodeJS.Signals | null;
    /** N from the last `return:N` on stdout; null when the program never printed it. */
    returnCode: number | null;
    resultBytes: Buffer | null;
    slipBytes: Buffer | null;
  };

const RETURN_LINE = /return\s*:\s*(-?\d+)/i;
const MAX_STDOUT_BYTES = 1024 * 1024;

export async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function removeResultFiles(workDir: string): Promise<void> {
  await rm(join(workDir, RESULT_FILE), { force: true });
  await rm(join(workDir, SLIP_FILE), { force: true });
}

export async function runProgram(args: readonly string[], o: ProgramRunOptions): Promise<ProgramRunResult> {
  await removeResultFiles(o.workDir);
  const posix = process.platform !== 'win32';
  const child = spawn(o.program, [...o.programArgs, ...args], {
    cwd: o.workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    // Its own process group on POSIX, so that a wrapper script and what it started die together.
    detached: posix,
  });
  const killTree = (signal: NodeJS.Signals) => {
    try {
      if (posix && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch { /* already gone */ }
  };

  let returnCode: number | null = null;
  let pending = Buffer.alloc(0);
  let seen = 0;
  const takeLines = (final: boolean) => {
    for (;;) {
      const nl = pending.indexOf(0x0a);
      if (nl < 0 && !final) return;
      const raw = nl < 0 ? pending : pending.subarray(0, nl);
      pending = nl < 0 ? Buffer.alloc(0) : pending.subarray(nl + 1);
      const line = decodeUposText(raw, o.encoding).replace(/\r$/, '').trim();
      if (line !== '') {
        const m = RETURN_LINE.exec(line);
        if (m) returnCode = Number(m[1]);
        else o.onLine?.(line);
      }
      if (nl < 0) return;
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > MAX_STDOUT_BYTES) return;
    pending = Buffer.concat([pending, chunk]);
    takeLines(false);
  });
  child.stderr.resume();

  const outcome = await new Promise<{ started: false; error: NodeJS.ErrnoException } | { started: true; timedOut: boolean; exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    let timedOut = false;
    let spawned = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree('SIGTERM');
      killTimer = setTimeout(() => killTree('SIGKILL'), o.killGraceMs);
    }, o.timeoutMs);
    child.once('spawn', () => { spawned = true; });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (spawned) return;
      clearTimeout(timer);
      resolve({ started: false, error });
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ started: true, timedOut, exitCode, signal });
    });
  });
  if (!outcome.started) return outcome;
  takeLines(true);
  return {
    ...outcome,
    returnCode,
    resultBytes: await readIfPresent(join(o.workDir, RESULT_FILE)),
    slipBytes: await readIfPresent(join(o.workDir, SLIP_FILE)),
  };
}

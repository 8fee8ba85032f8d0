// An emulator's state file: a device's memory survives the emulator being killed, as a real device's
// does. Written whole to a temporary file, synced, then renamed over the old one, so a kill mid-write
// leaves the previous state, never half of one.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export function writeStateFile(file: string, state: unknown): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The stored state, or null when there is none yet; a state of another version is refused. */
export function readStateFile<T extends { version: number }>(file: string, version: T['version'], what: string): T | null {
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as T;
  if (parsed.version !== version) throw new Error(`${what} ${file}: unknown version`);
  return parsed;
}

// `prilavok emulate upos --dir DIR [--encoding koi8-r|cp866|win1251|utf-8] [--decline KOPECKS]…`
// Prepares DIR as an sb_pilot working directory whose "program" is our emulator: it copies
// emulator-sb-pilot.mjs there, writes an `sb_pilot` wrapper (sb_pilot.cmd on Windows) that runs it
// with this Node, and a default emulator-scenario.json (kept if present). Then point the driver at
// it: new UposTerminal({ program: 'DIR/sb_pilot', encoding }). Prints `UPOS_EMULATOR_READY <program>`.
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UPOS_ENCODINGS, type UposEncoding } from './text-encoding';

export const EMULATOR_SCRIPT = 'emulator-sb-pilot.mjs';
const USAGE = 'usage: prilavok emulate upos --dir DIR [--encoding koi8-r|cp866|win1251|utf-8] [--decline KOPECKS]…\n';

export interface CliIo { stdout: (line: string) => void; stderr: (line: string) => void }
const processIo: CliIo = { stdout: (l) => process.stdout.write(l), stderr: (l) => process.stderr.write(l) };

/** The emulator script: next to this module in a checkout, or under drivers/ above a bundle in out/. */
export function locateEmulatorScript(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, EMULATOR_SCRIPT)];
  for (let up = here, i = 0; i < 4; i++, up = dirname(up)) candidates.push(join(up, 'drivers', 'payment', 'upos', EMULATOR_SCRIPT));
  candidates.push(join(process.cwd(), 'drivers', 'payment', 'upos', EMULATOR_SCRIPT));
  return candidates.find((p) => existsSync(p)) ?? null;
}

export interface UposEmulatorDir { program: string; script: string; scenarioFile: string }

/** Makes `dir` an emulated sb_pilot directory; returns the program path to give the driver. */
export async function prepareUposEmulatorDir(dir: string, o: { encoding?: UposEncoding; declines?: number[] } = {}): Promise<UposEmulatorDir> {
  const source = locateEmulatorScript();
  if (!source) throw new Error(`cannot find ${EMULATOR_SCRIPT}`);
  await mkdir(dir, { recursive: true });
  const script = join(dir, EMULATOR_SCRIPT);
  await copyFile(source, script);
  const windows = process.platform === 'win32';
  const program = join(dir, windows ? 'sb_pilot.cmd' : 'sb_pilot');
  if (windows) {
    await writeFile(program, `@"${process.execPath}" "%~dp0${EMULATOR_SCRIPT}" %*\r\n`);
  } else {
    // exec: the wrapper becomes the emulator, so the driver's kill reaches it.
    await writeFile(program, `#!/bin/sh\nexec "${process.execPath}" "$(dirname "$0")/${EMULATOR_SCRIPT}" "$@"\n`);
    await chmod(program, 0o755);
  }
  const scenarioFile = join(dir, 'emulator-scenario.json');
  if (!existsSync(scenarioFile)) {
    const declines = (o.declines ?? [1313]).map((amountKopecks) => ({ amountKopecks, code: 4451, text: 'НЕДОСТАТОЧНО СРЕДСТВ' }));
    await writeFile(scenarioFile, JSON.stringify({ encoding: o.encoding ?? 'koi8-r', declines, faults: [] }, null, 2));
  }
  return { program, script, scenarioFile };
}

export async function runUposEmulatorSetup(argv: string[], io: CliIo = processIo): Promise<number> {
  let dir: string | null = null;
  let encoding: UposEncoding | undefined;
  const declines: number[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) { io.stderr(USAGE); return 2; }
    if (key === '--dir') dir = resolve(value);
    else if (key === '--encoding' && (UPOS_ENCODINGS as readonly string[]).includes(value)) encoding = value as UposEncoding;
    else if (key === '--decline' && /^\d+$/.test(value)) declines.push(Number(value));
    else { io.stderr(`bad option ${key} ${value}\n${USAGE}`); return 2; }
  }
  if (dir === null) { io.stderr(USAGE); return 2; }
  try {
    const prepared = await prepareUposEmulatorDir(dir, { encoding, ...(declines.length > 0 ? { declines } : {}) });
    io.stdout(`UPOS_EMULATOR_READY ${prepared.program}\n`);
    io.stdout(`scenario: ${prepared.scenarioFile} (faults: hang, crash-before, crash-after-e, half-e, garbage-e, busy)\n`);
    return 0;
  } catch (error) {
    io.stderr(`prilavok emulate upos: ${(error as Error).message}\n`);
    return 1;
  }
}

// Where a lane keeps its databases: --data-dir, else PRILAVOK_DATA_DIR, else the platform's app-data dir.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['PRILAVOK_DATA_DIR']) return env['PRILAVOK_DATA_DIR'];
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Prilavok');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Prilavok');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'prilavok');
}

/** Reads `--name value` or `--name=value` from argv; undefined when absent. */
export function option(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

export function flag(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

export function dataDirFrom(argv: readonly string[]): string {
  return option(argv, 'data-dir') ?? defaultDataDir();
}

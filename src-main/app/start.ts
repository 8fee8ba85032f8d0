// `prilavok start`: the Electron window where Electron is installed, otherwise browser mode (the same
// UI served on 127.0.0.1 to the system Chromium). Browser mode prints `PRILAVOK_READY <url>` once it
// accepts connections; scripts and tests wait for that line.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAppOptions } from './demo-options';
import { createApp } from './create-app';
import { defaultDataDir } from './data-dir';
import type { PosApp } from './pos-app';
import { startBrowserHost, type BrowserHost } from '../host/browser-host';
import { openAppWindow } from '../host/find-chromium';

export interface StartOptions {
  browser: boolean;
  open: boolean;
  port: number;
  dataDir: string;
  kiosk: boolean;
}

const USAGE = 'usage: prilavok start [--browser] [--no-open] [--port N] [--data-dir DIR] [--kiosk]';

/** Both out/main/cli.js and src-main/app/start.ts sit two levels below the project root. */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseStartArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): StartOptions | { error: string } {
  const options: StartOptions = { browser: false, open: true, port: 0, dataDir: '', kiosk: false };
  let dataDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | null => inline ?? (i + 1 < argv.length ? argv[++i]! : null);
    switch (flag) {
      case '--browser': options.browser = true; break;
      case '--no-open': options.open = false; break;
      case '--kiosk': options.kiosk = true; break;
      case '--port': {
        const text = value();
        const port = text !== null && /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
        if (!(port >= 0 && port <= 65535)) return { error: `--port needs a number from 0 to 65535, got ${text ?? 'nothing'}` };
        options.port = port;
        break;
      }
      case '--data-dir': {
        const text = value();
        if (!text) return { error: '--data-dir needs a directory' };
        dataDir = text;
        break;
      }
      default:
        return { error: `unknown option: ${arg}` };
    }
  }
  options.dataDir = resolve(dataDir ?? defaultDataDir(env));
  return options;
}

export interface StartIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Stops browser mode (tests); SIGINT and SIGTERM do the same. */
  signal?: AbortSignal;
}

const processIo: StartIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

export async function startCommand(argv: string[], io: StartIo = processIo): Promise<number> {
  const options = parseStartArgs(argv);
  if ('error' in options) {
    io.stderr(`prilavok start: ${options.error}`);
    io.stderr(USAGE);
    return 2;
  }
  try {
    mkdirSync(options.dataDir, { recursive: true });
  } catch (error) {
    io.stderr(`prilavok start: cannot use data directory ${options.dataDir}: ${(error as Error).message}`);
    return 1;
  }

  if (!options.browser) {
    const electron = findElectron();
    if ('path' in electron) return runElectron(electron.path, options, io);
    io.stderr(`prilavok: Electron is not available (${electron.reason}); starting in browser mode`);
  }
  return runBrowserMode(options, io);
}

/**
 * The Electron binary, or why not. Loading the electron package in plain Node returns the binary's
 * path, but when the binary was never downloaded it tries to download it (printing to stdout and
 * hanging offline), so the path is worked out from path.txt the way the package does it.
 */
export function findElectron(): { path: string } | { reason: string } {
  if (!existsSync(join(projectRoot, 'out', 'electron', 'main.js'))) return { reason: 'out/electron/main.js is not built' };
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && !existsSync(pathFile)) return { reason: 'its binary was never downloaded' };
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron';
  const expected = override ? join(override, relative) : join(packageDir, 'dist', relative);
  // This is the path the electron package's own index.js returns; computing it here keeps plain Node
  // from ever loading the package (which would try to download the binary).
  return existsSync(expected) ? { path: expected } : { reason: `no binary at ${expected}` };
}

function runElectron(electronPath: string, options: StartOptions, io: StartIo): Promise<number> {
  // The project root is the Electron app (package.json "main" → out/electron/main.js). The data dir is
  // passed explicitly so both modes use the same database; demo matches browser mode.
  const args = [projectRoot, '--data-dir', options.dataDir, '--demo', ...(options.kiosk ? ['--kiosk'] : [])];
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;
  return new Promise((done) => {
    const child = spawn(electronPath, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals): void => { child.kill(signal); };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const finish = (code: number): void => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      done(code);
    };
    child.on('error', (error) => {
      io.stderr(`prilavok start: cannot run Electron: ${error.message}`);
      finish(1);
    });
    child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

async function runBrowserMode(options: StartOptions, io: StartIo): Promise<number> {
  const rendererDir = join(projectRoot, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    io.stderr(`prilavok start: the UI is not built (${join(rendererDir, 'index.html')} is missing); run \`npm run build\``);
    return 1;
  }

  let app: PosApp;
  try {
    app = await createApp({ dataDir: options.dataDir, ...demoAppOptions() });
  } catch (error) {
    io.stderr(`prilavok start: cannot open the data in ${options.dataDir}: ${(error as Error).message}`);
    return 1;
  }

  let host: BrowserHost;
  try {
    host = await startBrowserHost(app, { port: options.port, rendererDir, host: '127.0.0.1' });
  } catch (error) {
    io.stderr(`prilavok start: ${(error as Error).message}`);
    await app.close().catch(() => undefined);
    return 1;
  }

  const stopped = new Promise<void>((stop) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      io.signal?.removeEventListener('abort', onSignal);
      stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (io.signal?.aborted) onSignal();
    else io.signal?.addEventListener('abort', onSignal);
  });

  io.stdout(`PRILAVOK_READY ${host.url}`);
  if (options.open) {
    try {
      const opened = openAppWindow(host.url, { kiosk: options.kiosk || app.kiosk, dataDir: options.dataDir });
      if (!opened) io.stderr(`prilavok: no Chromium or Chrome found (set CHROMIUM_PATH); open ${host.url} in a Chromium-based browser`);
    } catch (error) {
      io.stderr(`prilavok: cannot open a browser (${(error as Error).message}); open ${host.url} yourself`);
    }
  }

  await stopped;
  let code = 0;
  try {
    await host.close();
  } catch (error) {
    io.stderr(`prilavok: error while stopping the server: ${(error as Error).message}`);
    code = 1;
  }
  try {
    await app.close();
  } catch (error) {
    io.stderr(`prilavok: error while closing the data: ${(error as Error).message}`);
    code = 1;
  }
  return code;
}

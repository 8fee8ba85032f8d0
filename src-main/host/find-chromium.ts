// Finds a Chromium-family browser on this machine and opens the till in it as an app window
// (`--app=URL`: no tabs, no address bar), with its own profile under the data dir so that the
// cashier's browsing profile, extensions and sync never touch the till.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (path: string) => boolean;
}

const UNIX_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** The candidates in order of preference, for this platform. Exported for tests and diagnostics. */
export function chromiumCandidates(options: FindChromiumOptions = {}): string[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const candidates: string[] = [];
  if (env.CHROMIUM_PATH) candidates.push(env.CHROMIUM_PATH);

  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    for (const root of roots) {
      candidates.push(
        join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        join(root, 'Chromium', 'Application', 'chrome.exe'),
        // Edge is Chromium and ships with Windows 10/11, so a lane always has one.
        join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      );
    }
  } else if (platform === 'darwin') {
    const home = env.HOME;
    for (const apps of ['/Applications', ...(home ? [join(home, 'Applications')] : [])]) {
      candidates.push(
        join(apps, 'Google Chrome.app', 'Contents', 'MacOS', 'Google Chrome'),
        join(apps, 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
        join(apps, 'Microsoft Edge.app', 'Contents', 'MacOS', 'Microsoft Edge'),
      );
    }
  } else {
    for (const name of UNIX_NAMES) candidates.push(`/usr/bin/${name}`);
    candidates.push('/snap/bin/chromium');
    for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
      for (const name of UNIX_NAMES) candidates.push(join(dir, name));
    }
  }
  return [...new Set(candidates)];
}

/** The first installed Chromium/Chrome/Edge, or null. */
export function findChromium(options: FindChromiumOptions = {}): string | null {
  const exists = options.exists ?? existsSync;
  return chromiumCandidates(options).find((path) => exists(path)) ?? null;
}

/**
 * Flags that keep a till's browser quiet: no first-run UI, no background traffic to Google,
 * no extensions, no translation bubbles or password prompts over the sale screen.
 */
export const CHROMIUM_APP_FLAGS = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--no-pings',
  '--metrics-recording-only',
  '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,PasswordManagerOnboarding',
  '--password-store=basic',
] as const;

export interface OpenAppWindowOptions {
  kiosk: boolean;
  /** The app's data dir; the browser profile lives in `<dataDir>/chromium-profile`. */
  dataDir: string;
  /** Defaults to findChromium(). */
  executablePath?: string;
}

export function appWindowArgs(url: string, options: { kiosk: boolean; profileDir: string }): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${options.profileDir}`,
    ...CHROMIUM_APP_FLAGS,
    ...(options.kiosk ? ['--kiosk'] : []),
  ];
}

/**
 * Opens the URL as an app window, detached: the host does not wait for the browser, and closing
 * the browser leaves the host running (so the window can be reopened with the same URL).
 * Returns the browser used, or null when none is installed (the caller shows the URL instead).
 */
export function openAppWindow(url: string, options: OpenAppWindowOptions): { executablePath: string; pid: number | undefined } | null {
  const executablePath = options.executablePath ?? findChromium();
  if (!executablePath) return null;
  const profileDir = join(options.dataDir, 'chromium-profile');
  mkdirSync(profileDir, { recursive: true });
  const child = spawn(executablePath, appWindowArgs(url, { kiosk: options.kiosk, profileDir }), {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', (error) => console.error(`[browser] cannot start ${executablePath}: ${error.message}`));
  child.unref();
  return { executablePath, pid: child.pid };
}

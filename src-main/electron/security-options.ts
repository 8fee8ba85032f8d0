// The Electron shell's security settings and the pure decisions main.ts makes with them. No runtime
// import of 'electron' here (types only), so a plain-Node unit test can assert every one of them.
import type { WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../app/content-security-policy';

/** The renderer: isolated, sandboxed, no Node anywhere, nothing but the preload's `window.pos`. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    preload: preloadPath,
  };
}

/** The UI needs nothing from the network: IPC carries every call, so connect-src has no socket. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** IPC channels, one place so main and preload cannot drift apart. */
export const CALL_CHANNEL = 'pos:call';
export const EVENT_CHANNEL = 'pos:event';

/**
 * True when `url` is our own index file (any query or fragment, for in-app routing). file:// has no
 * origin to compare, so the check is on scheme, host and exact path.
 */
export function isOwnIndex(url: string, indexUrl: string): boolean {
  let candidate: URL;
  let index: URL;
  try {
    candidate = new URL(url);
    index = new URL(indexUrl);
  } catch {
    return false;
  }
  return candidate.protocol === 'file:' && index.protocol === 'file:'
    && candidate.host === index.host
    && candidate.username === '' && candidate.password === ''
    && candidate.pathname === index.pathname;
}

/** `will-navigate` / `will-redirect`: the window never leaves the app's own page. */
export function isAllowedNavigation(url: string, indexUrl: string): boolean {
  return isOwnIndex(url, indexUrl);
}

/**
 * An IPC call is honoured only from our page. main.ts also checks that the frame is the main frame
 * of our window (`isMainFrame`), so an iframe or another window with the same URL is refused too.
 */
export function isTrustedSender(frameUrl: string | null | undefined, indexUrl: string, isMainFrame = true): boolean {
  return isMainFrame && typeof frameUrl === 'string' && isOwnIndex(frameUrl, indexUrl);
}

/** Adds our CSP to a response's headers, replacing any the response carried (in any letter case). */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

export interface ShellOptions {
  dataDir: string | null;
  kiosk: boolean;
  demo: boolean;
}

/** The few flags the shell understands (`prilavok start` passes them through). Unknown ones are ignored. */
export function parseShellArgs(argv: readonly string[]): ShellOptions {
  const options: ShellOptions = { dataDir: null, kiosk: false, demo: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--kiosk') options.kiosk = true;
    else if (arg === '--demo') options.demo = true;
    else if (arg === '--data-dir' && i + 1 < argv.length) options.dataDir = argv[++i]!;
    else if (arg.startsWith('--data-dir=')) options.dataDir = arg.slice('--data-dir='.length);
  }
  return options;
}

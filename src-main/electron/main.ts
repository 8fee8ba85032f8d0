// The Electron shell: one window onto the same app the browser host serves. It owns the window, the
// IPC wiring and the lockdown (navigation, permissions, CSP); everything else lives in plain Node
// behind createApp(). Security decisions are in security-options.ts, where they are unit-tested.
import { app, BrowserWindow, ipcMain, Menu, session as electronSession, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp } from '../app/create-app';
import { demoAppOptions } from '../app/demo-options';
import type { PosApp } from '../app/pos-app';
import type { Session } from '../app/dispatcher';
import {
  CALL_CHANNEL, EVENT_CHANNEL, isAllowedNavigation, isTrustedSender, parseShellArgs, secureWebPreferences,
  withContentSecurityPolicy,
} from './security-options';

const here = dirname(fileURLToPath(import.meta.url)); // out/electron
const preloadPath = join(here, 'preload.cjs');
const indexPath = resolve(here, '..', 'renderer', 'index.html');
const indexUrl = pathToFileURL(indexPath).href;

const shell = parseShellArgs(process.argv.slice(1));
// A given data dir is also the Chromium profile and the single-instance key: one till per data dir.
if (shell.dataDir) app.setPath('userData', resolve(shell.dataDir));
app.enableSandbox();

let posApp: PosApp | null = null;
let mainWindow: BrowserWindow | null = null;
const sessions = new Map<number, Session>(); // webContents id → its session

if (!app.requestSingleInstanceLock()) {
  // Another Prilavok already runs on this data dir; it focuses its window (below) and we leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', onWillQuit);
  app.whenReady().then(start).catch((error: unknown) => {
    console.error('[electron] cannot start Prilavok:', error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  Menu.setApplicationMenu(null); // no reload / devtools accelerators on a till
  const ses = electronSession.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });

  posApp = await createApp({ dataDir: app.getPath('userData'), ...(shell.demo ? demoAppOptions() : { demo: false }) });
  ipcMain.handle(CALL_CHANNEL, onCall);
  posApp.events.subscribe((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { event, payload });
    }
  });
  mainWindow = createWindow(shell.kiosk || posApp.kiosk);
}

function createWindow(kiosk: boolean): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 600,
    show: false,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    title: 'Prilavok',
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(preloadPath),
  });
  const contentsId = window.webContents.id;
  window.once('ready-to-show', () => window.show());
  window.webContents.once('destroyed', () => endSession(contentsId));
  window.on('closed', () => { if (mainWindow === window) mainWindow = null; });
  void window.loadURL(indexUrl);
  return window;
}

/** Applied to every webContents the app ever creates, not only ours: nothing opens, navigates or embeds. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => { if (!isAllowedNavigation(event.url, indexUrl)) event.preventDefault(); });
  contents.on('will-redirect', (event) => { if (!isAllowedNavigation(event.url, indexUrl)) event.preventDefault(); });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function onCall(event: IpcMainInvokeEvent, request: unknown): Promise<unknown> {
  const frame = event.senderFrame;
  const window = mainWindow;
  const trusted = posApp !== null && window !== null && !window.isDestroyed()
    && event.sender === window.webContents
    && frame !== null
    && isTrustedSender(frame.url, indexUrl, frame.parent === null);
  if (!trusted || !posApp) throw new Error('pos:call refused: untrusted sender');

  const { call, payload, override } = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  // Through dispatchText, like the WebSocket bridge: the same size cap and the same JSON semantics.
  let text: string;
  try {
    text = JSON.stringify({ type: 'call', id: 0, call, payload, override });
  } catch {
    text = '';
  }
  const { outcome } = await posApp.dispatcher.dispatchText(sessionFor(event.sender), text);
  return outcome;
}

function sessionFor(contents: WebContents): Session {
  let session = sessions.get(contents.id);
  if (!session && posApp) {
    session = posApp.newSession();
    sessions.set(contents.id, session);
  }
  return session!;
}

function endSession(contentsId: number): void {
  const session = sessions.get(contentsId);
  if (!session) return;
  sessions.delete(contentsId);
  posApp?.endSession(session);
}

let closed = false;
function onWillQuit(event: Electron.Event): void {
  if (closed || !posApp) return;
  // Closing the app flushes the database; quit only once that is done.
  event.preventDefault();
  const closing = posApp;
  posApp = null;
  closing.close()
    .catch((error: unknown) => console.error('[electron] error while closing:', error))
    .finally(() => {
      closed = true;
      app.quit();
    });
}

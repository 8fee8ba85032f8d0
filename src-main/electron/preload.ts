// The sandboxed preload: exposes `window.pos` (the PosApi contract) and nothing else — never
// ipcRenderer itself. Bundled to a single CommonJS file; only type imports from the contract.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallOutcome, PosApi } from '../contract/wire';
import { CALL_CHANNEL, EVENT_CHANNEL } from './security-options';

const pos = {
  call(name, payload, options) {
    return ipcRenderer.invoke(CALL_CHANNEL, { call: name, payload, override: options?.override }) as Promise<CallOutcome>;
  },
  subscribe(event, listener) {
    const onEvent = (_event: IpcRendererEvent, message: unknown): void => {
      if (typeof message !== 'object' || message === null) return;
      const { event: name, payload } = message as { event?: unknown; payload?: unknown };
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, onEvent);
    return () => { ipcRenderer.removeListener(EVENT_CHANNEL, onEvent); };
  },
} satisfies PosApi;

contextBridge.exposeInMainWorld('pos', pos);

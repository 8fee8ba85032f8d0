// The one way the UI talks to the main process: typed calls by name, typed errors, events.
import type {
  CallName, CallRequest, CallResponse, EventName, EventPayload, LocalizedText, Override, PosApi, PosErrorShape,
} from '../../src-main/contract';
import { useConnection } from '../state/connection';
import { bridgeUrl, createWsPosApi } from './ws-transport';

declare global {
  interface Window { pos?: PosApi }
}

/** A failed call: the code and the cashier's message come from the main process. */
export class CallError extends Error {
  readonly code: PosErrorShape['code'];
  readonly text: LocalizedText;
  readonly details: Record<string, unknown>;

  constructor(shape: PosErrorShape) {
    super(`${shape.code}: ${shape.message.en}`);
    this.name = 'CallError';
    this.code = shape.code;
    this.text = shape.message;
    this.details = shape.details ?? {};
  }

  get overridable(): boolean {
    return this.code === 'FORBIDDEN' && this.details['overridable'] === true;
  }

  get transportFailure(): boolean {
    return typeof this.details['transport'] === 'string';
  }
}

/** The cashier dismissed a dialog the call needed (e.g. the supervisor PIN): not an error to show. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

let api: PosApi | null = null;
const reconnectListeners = new Set<() => void>();

/** Picks the transport: the Electron preload's window.pos, else the browser-mode WebSocket bridge. */
export function initTransport(): PosApi {
  if (api) return api;
  if (window.pos) {
    api = window.pos;
    useConnection.getState().setState('open');
    return api;
  }
  api = createWsPosApi({
    url: bridgeUrl(window.location),
    onState: (state) => useConnection.getState().setState(state),
    onOpen: () => {
      for (const listener of reconnectListeners) listener();
    },
  });
  return api;
}

/** Runs after each (re)connection: a new socket is a new, logged-out session on the lane. */
export function onConnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  // Already connected (Electron, or the socket beat React to it): run it now.
  if (useConnection.getState().link === 'open') {
    queueMicrotask(() => {
      if (reconnectListeners.has(listener)) listener();
    });
  }
  return () => reconnectListeners.delete(listener);
}

function requireApi(): PosApi {
  return api ?? initTransport();
}

export async function call<N extends CallName>(name: N, payload: CallRequest<N>, override?: Override): Promise<CallResponse<N>> {
  const outcome = await requireApi().call(name, payload, override ? { override } : undefined);
  if (outcome.ok) return outcome.result as CallResponse<N>;
  throw new CallError(outcome.error);
}

export function subscribe<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void {
  return requireApi().subscribe(event, listener as (payload: unknown) => void);
}

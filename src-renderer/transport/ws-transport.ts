// Browser mode: window.pos over the host's WebSocket bridge. Same PosApi as the Electron preload,
// so nothing above this file knows which transport it runs on.
import type { CallOutcome, Override, PosApi, ServerMessage } from '../../src-main/contract';

export type LinkState = 'connecting' | 'open' | 'closed';

export interface WsTransportOptions {
  url: string;
  onState(state: LinkState): void;
  /** Called after every successful (re)connection, before pending work resumes. */
  onOpen?(reconnected: boolean): void;
  /** Backoff steps in ms; the last one repeats. */
  backoffMs?: number[];
  /** A call with no answer for this long fails (the lane may be busy with a slow device). */
  callTimeoutMs?: number;
}

interface Pending { resolve(outcome: CallOutcome): void; timer: ReturnType<typeof setTimeout> }

/** An error the transport itself produces (the main process never sends these details). */
function transportFailure(transport: string, ru: string, en: string): CallOutcome {
  return { ok: false, error: { code: 'INTERNAL', message: { ru, en }, details: { transport } } };
}

export function disconnectedOutcome(): CallOutcome {
  return transportFailure('disconnected',
    'Нет связи с кассой. Операция не выполнена, повторите после восстановления связи',
    'No connection to the lane. Nothing was done; try again when the connection is back');
}

function timeoutOutcome(): CallOutcome {
  return transportFailure('timeout',
    'Касса не ответила вовремя. Проверьте чек перед повтором',
    'The lane did not answer in time. Check the receipt before retrying');
}

function unreadableAnswerOutcome(): CallOutcome {
  return transportFailure('unreadable-answer',
    'Ответ кассы не удалось прочитать. Проверьте чек перед повтором',
    'The lane\'s answer could not be read. Check the receipt before retrying');
}

export function createWsPosApi(options: WsTransportOptions): PosApi & { close(): void } {
  const backoff = options.backoffMs ?? [250, 500, 1000, 2000, 4000];
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let everOpened = false;
  let closedByUs = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  // What the last frame of each event carried, per payload field: an answer may be "the object that
  // event just carried" (contract/wire.ts, ResultRefMessage) instead of a second copy of a long receipt.
  // Reset on every connection: a reference only ever points back along the same socket.
  let eventFields = new Map<string, unknown>();

  function rememberEventFields(event: string, payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    for (const [field, value] of Object.entries(payload)) {
      if (typeof value === 'object' && value !== null) eventFields.set(`${event}\u0000${field}`, value);
    }
  }

  function lastEventField(ref: { event: string; field: string }): CallOutcome {
    const key = `${ref.event}\u0000${ref.field}`;
    // The lane sends the event before the answer on this socket; a missing one is a bridge bug, and the
    // call did run: the cashier must look before repeating it.
    if (!eventFields.has(key)) return unreadableAnswerOutcome();
    return { ok: true, result: eventFields.get(key) };
  }

  function failAllPending(): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve(disconnectedOutcome());
      pending.delete(id);
    }
  }

  function connect(): void {
    options.onState('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    eventFields = new Map();
    ws.onopen = () => {
      attempt = 0;
      const reconnected = everOpened;
      everOpened = true;
      options.onState('open');
      options.onOpen?.(reconnected);
    };
    ws.onmessage = (event) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return; // not ours; the bridge only sends JSON
      }
      if (message.type === 'result') {
        const p = pending.get(message.id);
        if (!p) return;
        pending.delete(message.id);
        clearTimeout(p.timer);
        if ('resultOf' in message) p.resolve(lastEventField(message.resultOf));
        else p.resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
      } else if (message.type === 'event') {
        rememberEventFields(message.event, message.payload);
        for (const listener of listeners.get(message.event) ?? []) {
          try {
            listener(message.payload);
          } catch (error) {
            console.error('[pos] event listener failed', message.event, error);
          }
        }
      }
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      failAllPending();
      if (closedByUs) return;
      options.onState('closed');
      scheduleReconnect();
    };
    ws.onerror = () => {
      // onclose follows; nothing else to do here
    };
  }

  function scheduleReconnect(): void {
    if (reconnectTimer) return;
    const base = backoff[Math.min(attempt, backoff.length - 1)] ?? 2000;
    attempt += 1;
    const delay = base + Math.floor(Math.random() * base * 0.2); // jitter: many tabs must not reconnect in step
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  connect();

  return {
    call(name: string, payload: unknown, callOptions?: { override?: Override }): Promise<CallOutcome> {
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve(disconnectedOutcome());
      const id = nextId++;
      const message = callOptions?.override
        ? { type: 'call', id, call: name, payload, override: callOptions.override }
        : { type: 'call', id, call: name, payload };
      return new Promise<CallOutcome>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(timeoutOutcome());
        }, callTimeoutMs);
        pending.set(id, { resolve, timer });
        try {
          ws.send(JSON.stringify(message));
        } catch {
          pending.delete(id);
          clearTimeout(timer);
          resolve(disconnectedOutcome());
        }
      });
    },
    subscribe(event: string, listener: (payload: unknown) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    close(): void {
      closedByUs = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close();
      failAllPending();
    },
  };
}

/** ws://<host>/bridge?token=<token from the page URL>. */
export function bridgeUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/bridge?token=${encodeURIComponent(token)}`;
}

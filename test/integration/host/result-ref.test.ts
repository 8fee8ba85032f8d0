// An answer that is the object an event just carried travels as a reference (contract/wire.ts,
// ResultRefMessage): the browser host over a real socket, and the page's own transport
// (createWsPosApi) on the ws package's WebSocket, which resolves the reference to the event's object.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { EventBus } from '../../../src-main/app/event-bus';
import type { Dispatcher, Session } from '../../../src-main/app/dispatcher';
import type { PosApp } from '../../../src-main/app/pos-app';
import { startBrowserHost, type BrowserHost } from '../../../src-main/host/browser-host';
import { createWsPosApi } from '../../../src-renderer/transport/ws-transport';
import type { CallOutcome } from '../../../src-main/contract';

const events = new EventBus();
/** The bus is typed for the app's events; these receipts are only as big as the test needs. */
const emitChanged = (receipt: unknown) => events.emit('receipt.changed', { receipt } as never);
const receipt = () => ({ id: 'r1', lines: Array.from({ length: 300 }, (_, i) => ({ id: `l${i}`, name: 'Молоко 3,2 % 1 л' })) });
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Calls by name: each shows one way an answer can relate to the events sent before it. */
const behaviours: Record<string, () => Promise<unknown>> = {
  // The sale service's way: emit receipt.changed, answer with the same object.
  async same() {
    const r = receipt();
    emitChanged(r);
    return r;
  },
  // The object is changed after the event, in a later turn: only the full answer is right.
  async later() {
    const r = receipt();
    emitChanged(r);
    await turn();
    r.lines.push({ id: 'late', name: 'Хлеб' });
    return r;
  },
  // Two events carry the same field: the page holds only the last one, the answer is the first.
  async overtaken() {
    const first = receipt();
    emitChanged(first);
    emitChanged({ id: 'r2', lines: [] });
    return first;
  },
};

function fakeApp(): PosApp {
  const dispatcher = {
    async dispatchText(_session: Session, text: string) {
      const { id, call } = JSON.parse(text) as { id: number; call: string };
      const result = await behaviours[call]!();
      return { id, outcome: { ok: true, result } as CallOutcome };
    },
  } as unknown as Dispatcher;
  return {
    dispatcher, events, kiosk: false, dataDir: '/nonexistent',
    newSession: () => ({ id: randomUUID(), user: null, locked: false }),
    endSession: () => undefined,
    close: async () => undefined,
  };
}

let workDir: string;
let host: BrowserHost;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'prilavok-result-ref-'));
  mkdirSync(join(workDir, 'renderer'));
  writeFileSync(join(workDir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  host = await startBrowserHost(fakeApp(), { port: 0, rendererDir: join(workDir, 'renderer'), host: '127.0.0.1' });
});

afterAll(async () => {
  await host?.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** Every text frame the host sends on one raw connection, parsed. */
async function rawConnection(): Promise<{ socket: WebSocket; frames: unknown[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
  const frames: unknown[] = [];
  socket.on('message', (data, isBinary) => { if (!isBinary) frames.push(JSON.parse(String(data))); });
  await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
  return { socket, frames };
}

/**
 * The page's transport, on the ws package's WebSocket with our origin (a browser sends it itself); the
 * global is the page's while `use` runs.
 */
async function withPageTransport(use: (api: ReturnType<typeof createWsPosApi>) => Promise<void>, url = `ws://127.0.0.1:${host.port}/bridge?token=${host.token}`): Promise<void> {
  const origin = `http://127.0.0.1:${host.port}`;
  const g = globalThis as { WebSocket?: unknown };
  const saved = g.WebSocket;
  g.WebSocket = class extends WebSocket { constructor(url: string) { super(url, { origin }); } };
  let opened!: () => void;
  const open = new Promise<void>((resolve) => { opened = resolve; });
  const api = createWsPosApi({ url, onState: (s) => { if (s === 'open') opened(); } });
  try {
    await open;
    await use(api);
  } finally {
    api.close();
    g.WebSocket = saved;
  }
}

describe('an answer that repeats an event travels as a reference', () => {
  it('sends the event in full and the answer as a reference to it, on the same socket, in that order', async () => {
    const { socket, frames } = await rawConnection();
    socket.send(JSON.stringify({ type: 'call', id: 1, call: 'same', payload: {} }));
    await expect.poll(() => frames.length).toBe(2);
    expect(frames[0]).toMatchObject({ type: 'event', event: 'receipt.changed', payload: { receipt: { id: 'r1' } } });
    expect(frames[1]).toEqual({ type: 'result', id: 1, ok: true, resultOf: { event: 'receipt.changed', field: 'receipt' } });
    socket.close();
  });

  it('sends the whole answer when the object changed after the event, or a later event carried another', async () => {
    const { socket, frames } = await rawConnection();
    socket.send(JSON.stringify({ type: 'call', id: 2, call: 'later', payload: {} }));
    await expect.poll(() => frames.length).toBe(2);
    expect(frames[1]).toMatchObject({ type: 'result', id: 2, ok: true, result: { id: 'r1' } });
    expect((frames[1] as { result: { lines: unknown[] } }).result.lines).toHaveLength(301);
    socket.send(JSON.stringify({ type: 'call', id: 3, call: 'overtaken', payload: {} }));
    await expect.poll(() => frames.length).toBe(5);
    expect(frames[4]).toMatchObject({ type: 'result', id: 3, ok: true, result: { id: 'r1' } });
    socket.close();
  });

  it('resolves the page\'s call with the very object the event listener got', async () => {
    await withPageTransport(async (api) => {
      const seen: unknown[] = [];
      api.subscribe('receipt.changed', (payload) => seen.push((payload as { receipt: unknown }).receipt));
      const outcome = await api.call('same', {});
      expect(outcome.ok).toBe(true);
      expect(seen).toHaveLength(1);
      expect((outcome as { result: unknown }).result).toBe(seen[0]);
      expect((outcome as { result: { lines: unknown[] } }).result.lines).toHaveLength(300);
      const later = await api.call('later', {});
      expect((later as { result: { lines: unknown[] } }).result.lines).toHaveLength(301);
      expect((later as { result: unknown }).result).not.toBe(seen[1]);
    });
  });

  it('a reference to an event the page never got is an error that says to check the receipt, not a result', async () => {
    // A broken bridge: it answers by reference without sending the event first.
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (socket) => socket.on('message', (data) => {
      const { id } = JSON.parse(String(data)) as { id: number };
      socket.send(JSON.stringify({ type: 'result', id, ok: true, resultOf: { event: 'receipt.changed', field: 'receipt' } }));
    }));
    try {
      await withPageTransport(async (api) => {
        const outcome = await api.call('same', {});
        expect(outcome).toMatchObject({ ok: false, error: { code: 'INTERNAL', details: { transport: 'unreadable-answer' } } });
        expect((outcome as { error: { message: { ru: string } } }).error.message.ru).toContain('Проверьте чек');
      }, `ws://127.0.0.1:${(server.address() as { port: number }).port}/`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

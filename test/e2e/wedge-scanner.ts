import type { CDPSession, Page } from '@playwright/test';

// A keyboard-wedge scanner for the end-to-end tests. A real scanner's keys reach the page through the
// browser's input queue with the time the OS stamped on them, a few ms apart, however busy the renderer is.
// `page.keyboard.type` cannot do that: it waits for each key's round trip before it sends the next, so on
// a loaded CI machine the gaps grow past the lane's wedge threshold (30 ms) and the scan breaks in two
// (seen on CI: a water EAN that never reached the receipt, a marking code read from its middle).
// Here every key goes to Chromium's input pipeline at once (CDP Input.dispatchKeyEvent, not awaited one by
// one) with its own timestamp `gapMs` after the previous: trusted events, the same path a scanner's keys take.

const sessions = new WeakMap<Page, Promise<CDPSession>>();

function session(page: Page): Promise<CDPSession> {
  let found = sessions.get(page);
  if (!found) {
    found = page.context().newCDPSession(page);
    sessions.set(page, found);
  }
  return found;
}

/** Types `code` the way a wedge scanner does (printable ASCII, `gapMs` per key), then its Enter suffix. */
export async function wedgeScan(page: Page, code: string, gapMs = 4): Promise<void> {
  if (!/^[\x20-\x7e]*$/.test(code)) throw new Error(`wedgeScan types printable ASCII only, got ${JSON.stringify(code)}`);
  const cdp = await session(page);
  const start = Date.now() / 1000;
  const sent: Promise<unknown>[] = [];
  const press = (index: number, key: string, text: string | undefined, virtualKey: number) => {
    const timestamp = start + (index * gapMs) / 1000;
    const common = { key, windowsVirtualKeyCode: virtualKey, timestamp };
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: text === undefined ? 'rawKeyDown' : 'keyDown', ...common, ...(text !== undefined && { text, unmodifiedText: text }) }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common, timestamp: timestamp + 0.001 }));
  };
  [...code].forEach((char, index) => press(index, char, char, virtualKeyOf(char)));
  press(code.length, 'Enter', '\r', 13);
  await Promise.all(sent);
}

/** Windows virtual-key code of an ASCII character: enough for Chromium to build a plausible key event. */
function virtualKeyOf(char: string): number {
  if (/[0-9]/.test(char)) return char.charCodeAt(0);
  if (/[a-z]/i.test(char)) return char.toUpperCase().charCodeAt(0);
  return 0;
}

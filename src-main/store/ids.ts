// Ids: UUIDv7 (RFC 9562 §5.7), generated on the lane; they are the idempotency keys upstream.
// Layout: 48-bit unix milliseconds | ver(4)=7 | rand_a(12) | var(2)=0b10 | rand_b(62).
// rand_a is a counter (RFC 9562 §6.2, method 1) so that ids made in one process sort in creation
// order even within one millisecond: a new millisecond seeds it with a random value in the lower half
// (room to count up), the same millisecond increments it, and on overflow the timestamp is advanced
// by one millisecond (allowed by §6.2; the clock catches up). A clock that steps back is ignored.
import { randomFillSync } from 'node:crypto';

const COUNTER_MAX = 0xfff;
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

let lastMs = -1;
let counter = 0;

function randomBytes(n: number): Buffer {
  if (poolOffset + n > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return bytes;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A new UUIDv7. nowMs defaults to Date.now(); tests pass a fixed clock. */
export function newId(nowMs: number = Date.now()): string {
  const rnd = randomBytes(10);
  if (nowMs > lastMs) {
    lastMs = Math.floor(nowMs);
    counter = ((rnd[0]! << 8) | rnd[1]!) & 0x7ff; // lower half of rand_a: at least 2048 increments of room
  } else if (counter < COUNTER_MAX) {
    counter++;
  } else {
    lastMs++;
    counter = 0;
  }
  const b = new Uint8Array(16);
  // 48-bit big-endian timestamp; split because bitwise ops are 32-bit in JS.
  const high = Math.floor(lastMs / 0x1000000);
  const low = lastMs % 0x1000000;
  b[0] = (high >>> 16) & 0xff;
  b[1] = (high >>> 8) & 0xff;
  b[2] = high & 0xff;
  b[3] = (low >>> 16) & 0xff;
  b[4] = (low >>> 8) & 0xff;
  b[5] = low & 0xff;
  b[6] = 0x70 | (counter >>> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (rnd[2]! & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = rnd[i - 6]!;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

/** The creation time (unix ms) encoded in a UUIDv7. */
export function idTimeMs(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

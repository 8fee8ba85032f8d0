// PINs are hashed with scrypt (a slow, memory-hard KDF). Login is by PIN alone, so the salt is
// lane-wide rather than per user: one KDF evaluation finds the user by an indexed hash, instead of
// one evaluation per user. PINs are unique per lane for the same reason (a login must identify one user).
import { scryptSync, timingSafeEqual } from 'node:crypto';

/** N = 2^14, r = 8, p = 1: about 40–80 ms on a checkout PC, 16 MiB of memory. */
const N = 16384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

export function hashPin(pin: string, laneSaltHex: string): string {
  const key = scryptSync(pin, Buffer.from(laneSaltHex, 'hex'), KEY_BYTES, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${key.toString('hex')}`;
}

export function pinHashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

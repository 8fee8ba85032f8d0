// The contract's primitive shapes, in their own module so that every model file can use them without
// importing another model file (zod schemas are built at import time: a cycle would leave them undefined).
import { z } from 'zod';

export const Id = z.string().min(1).max(64).regex(/^[0-9A-Za-z-]+$/, 'id: letters, digits and dashes only');
export const Kopecks = z.number().int().min(-1_000_000_000_00).max(1_000_000_000_00);
export const NonNegativeKopecks = Kopecks.min(0);
/** Thousandths of a unit: 1000 = one piece, 1 kg or 1 litre. Upper bound: 99 999 units. */
export const QuantityMilli = z.number().int().min(1).max(99_999_000);
export const IsoTime = z.string().max(40);

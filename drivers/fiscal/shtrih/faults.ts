// Fault injection for the emulator: `--faults drop-ack:0.1,bad-lrc:0.05,late:0.1@1500,
// drop-frame:0.05,power-cut-after:close-receipt,paper-out-after:close-receipt`.
// Probabilities apply per received frame; "-after:" faults fire once on the named command
// (append ~P to fire with probability P every time instead, e.g. power-cut-after:close-receipt~0.2).
import { CMD } from './commands';

export interface FaultSpec {
  /** The register executes the frame but its ACK is lost. */
  dropAck: number;
  /** The frame is lost on the way: no ACK, not executed. */
  dropFrame: number;
  /** The answer goes out with a corrupted LRC. */
  badLrc: number;
  late: number;
  lateMs: number;
  powerCutAfter: CommandTrigger | null;
  paperOutAfter: CommandTrigger | null;
}

export interface CommandTrigger { codes: number[]; probability: number | null }

const COMMAND_ALIASES: Record<string, number[]> = {
  'close-receipt': [CMD.closeReceiptV2, CMD.legacyClose],
  'open-shift': [CMD.openShift],
  'z-report': [CMD.zReport],
  'x-report': [CMD.xReport],
  operation: [CMD.operationV2, CMD.legacySale],
  'cash-in': [CMD.cashIn],
  'cash-out': [CMD.cashOut],
  cancel: [CMD.cancelReceipt],
  correction: [CMD.correctionReceiptV2],
};

export class FaultSpecError extends Error {}

export const NO_FAULTS: FaultSpec = { dropAck: 0, dropFrame: 0, badLrc: 0, late: 0, lateMs: 1500, powerCutAfter: null, paperOutAfter: null };

function probability(text: string, item: string): number {
  const p = Number(text);
  if (!Number.isFinite(p) || p < 0 || p > 1) throw new FaultSpecError(`${item}: probability must be 0..1`);
  return p;
}

function trigger(text: string, item: string): CommandTrigger {
  const [name, p] = text.split('~');
  const codes = COMMAND_ALIASES[name ?? ''] ?? (/^0x[0-9a-f]{2,4}$/i.test(name ?? '') ? [Number(name)] : null);
  if (!codes) throw new FaultSpecError(`${item}: unknown command '${name}' (one of ${Object.keys(COMMAND_ALIASES).join(', ')} or 0xNN)`);
  return { codes, probability: p === undefined ? null : probability(p, item) };
}

export function parseFaultSpec(spec: string): FaultSpec {
  const out: FaultSpec = { ...NO_FAULTS };
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = item.indexOf(':');
    if (colon < 0) throw new FaultSpecError(`${item}: expected KIND:VALUE`);
    const kind = item.slice(0, colon);
    const value = item.slice(colon + 1);
    switch (kind) {
      case 'drop-ack': out.dropAck = probability(value, item); break;
      case 'drop-frame': out.dropFrame = probability(value, item); break;
      case 'bad-lrc': out.badLrc = probability(value, item); break;
      case 'late': {
        const [p, ms] = value.split('@');
        out.late = probability(p ?? '', item);
        if (ms !== undefined) {
          const n = Number(ms);
          if (!Number.isInteger(n) || n < 0 || n > 600_000) throw new FaultSpecError(`${item}: delay must be 0..600000 ms`);
          out.lateMs = n;
        }
        break;
      }
      case 'power-cut-after': out.powerCutAfter = trigger(value, item); break;
      case 'paper-out-after': out.paperOutAfter = trigger(value, item); break;
      default: throw new FaultSpecError(`${item}: unknown fault kind '${kind}'`);
    }
  }
  return out;
}

/** The seeded PRNG the chaos tests replay runs with (shared by the emulators). */
export { seededRandom } from '../../emulator-support/seeded-random';

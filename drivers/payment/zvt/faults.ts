// Fault injection for the ZVT emulator: `--faults timeout,hang,drop-after-approve,decline:05,nak:0.1,bad-crc,seed:7`.
// - timeout            the next card command gets no answer at all and is not executed
// - hang               the next card command: 80 00 00 and intermediate status, the PT approves it
//                      internally (journal), then says nothing more
// - drop-after-approve the next card command is approved and its status information and slip go out,
//                      then the PT drops the connection (TCP) or falls silent (serial) before 06 0F
// - decline[:XX]       the next card command is declined with result code XX (hex, default 05)
// - nak[:P]            serial: NAK a good frame from the ECR (once, or with probability P per frame)
// - bad-crc[:P]        serial: send a frame with a corrupted CRC (once, or with probability P per frame)
// - seed:N             seed of the random choices
// One-shot kinds may be repeated to fire more than once (`hang,hang`).

export type OneShotFault = 'timeout' | 'hang' | 'drop-after-approve' | 'decline' | 'nak' | 'bad-crc';

export interface ZvtFaultSpec {
  oneShots: Array<{ kind: OneShotFault; code?: number }>;
  nakProbability: number;
  badCrcProbability: number;
  seed: number;
}

export class FaultSpecError extends Error {}

export const NO_FAULTS: ZvtFaultSpec = { oneShots: [], nakProbability: 0, badCrcProbability: 0, seed: 1 };

function probability(text: string, item: string): number {
  const p = Number(text);
  if (text === '' || !Number.isFinite(p) || p < 0 || p > 1) throw new FaultSpecError(`${item}: probability must be 0..1`);
  return p;
}

export function parseZvtFaultSpec(spec: string): ZvtFaultSpec {
  const out: ZvtFaultSpec = { oneShots: [], nakProbability: 0, badCrcProbability: 0, seed: 1 };
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [kind = '', value, ...rest] = item.split(':');
    if (rest.length) throw new FaultSpecError(`${item}: expected KIND or KIND:VALUE`);
    switch (kind) {
      case 'timeout': case 'hang': case 'drop-after-approve':
        if (value !== undefined) throw new FaultSpecError(`${item}: ${kind} takes no value`);
        out.oneShots.push({ kind });
        break;
      case 'decline': {
        const code = value === undefined ? 0x05 : Number.parseInt(value, 16);
        if (value !== undefined && !/^[0-9a-f]{1,2}$/i.test(value)) throw new FaultSpecError(`${item}: result code is one hex byte`);
        if (code === 0) throw new FaultSpecError(`${item}: 00 is success, not a decline`);
        out.oneShots.push({ kind: 'decline', code });
        break;
      }
      case 'nak': case 'bad-crc':
        if (value === undefined) out.oneShots.push({ kind });
        else if (kind === 'nak') out.nakProbability = probability(value, item);
        else out.badCrcProbability = probability(value, item);
        break;
      case 'seed': {
        const n = Number(value);
        if (!Number.isInteger(n)) throw new FaultSpecError(`${item}: seed is an integer`);
        out.seed = n;
        break;
      }
      default: throw new FaultSpecError(`${item}: unknown fault '${kind}' (timeout, hang, drop-after-approve, decline, nak, bad-crc, seed)`);
    }
  }
  return out;
}

/** The seeded PRNG the chaos tests replay runs with (shared by the emulators). */
export { seededRandom } from '../../emulator-support/seeded-random';

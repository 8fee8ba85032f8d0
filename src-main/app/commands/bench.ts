// `prilavok bench NAME --json`: one JSON object on stdout, progress on stderr, exit 0 whatever the figures.
import { benchCatalog } from '../../store/catalog-bench';
import { benchSale } from '../bench/sale-bench';
import { benchStartup } from '../bench/startup-bench';
import { benchVideo } from '../bench/video-bench';
import { benchFiscal } from '../bench/fiscal-bench';
import { benchSync } from '../bench/sync-bench';
import { DEFAULT_BATCH_SIZE } from '../../upstream';
import { benchMarking } from '../bench/marking-bench';
import { benchPayment } from '../bench/payment-bench';
import { benchDevices } from '../bench/devices-bench';
import { serveDevicesLane } from '../bench/devices-lane';
import { option } from '../data-dir';

export async function benchCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const int = (key: string, fallback: number): number => {
    const raw = option(rest, key);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${key} must be a positive integer`);
    return value;
  };
  let result: unknown;
  switch (name) {
    case 'catalog': result = await benchCatalog({ skus: int('skus', 1_000_000), samples: int('samples', 2000) }); break;
    case 'sale': result = await benchSale({ receipts: int('receipts', 1000), linesPerReceipt: int('lines', 5) }); break;
    case 'startup': result = await benchStartup({ skus: int('skus', 1_000_000), runs: int('runs', 5) }); break;
    case 'video': result = await benchVideo({ samples: int('samples', 1000) }); break;
    case 'fiscal': result = await benchFiscal({ lines: int('lines', 20), baud: int('baud', 115_200), registers: int('registers', 4), receipts: int('receipts', 50) }); break;
    case 'sync': result = await benchSync({ receipts: int('receipts', 100_000), laneReceipts: int('lane-receipts', 20_000), changed: int('changed', 10_000),
      baseSkus: int('base-skus', 100_000), batch: int('batch', DEFAULT_BATCH_SIZE) }); break;
    case 'marking': result = await benchMarking({ samples: int('samples', 1000), latencyMs: int('latency-ms', 50) }); break;
    case 'devices': result = await benchDevices({ samples: int('samples', 300), baud: int('baud', 9600), idleSeconds: int('idle-seconds', 30) }); break;
    // The lane process `bench devices` starts for itself (not a benchmark of its own).
    case 'devices-lane': {
      const dir = option(rest, 'dir');
      if (dir === undefined) throw new Error('--dir is required');
      return await serveDevicesLane({ dir, baud: int('baud', 9600), scans: int('scans', 310) });
    }
    case 'payment': result = await benchPayment({ payments: int('payments', 1000), stepDelayMs: int('step-delay-ms', 5) }); break;
    default:
      process.stderr.write('usage: prilavok bench catalog|sale|startup|video|fiscal|sync|marking|payment|devices [options] --json\n');
      return 2;
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

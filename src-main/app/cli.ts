// `prilavok` — the command line of the lane: start the app, catalog tools, audit check, doctor, benchmarks.
import { startCommand } from './start';
import { catalogCommand } from './commands/catalog';
import { auditCommand } from './commands/audit';
import { doctorCommand } from './commands/doctor';
import { benchCommand } from './commands/bench';
import { emulateCommand } from './commands/emulate';

const USAGE = `prilavok — Prilavok POS lane

Usage:
  prilavok start [--browser] [--no-open] [--port N] [--data-dir DIR] [--kiosk]
      Start the lane on the demo configuration: the Electron window where Electron is available,
      otherwise browser mode (the UI served on 127.0.0.1 to the system Chromium).
  prilavok catalog import FILE [--replace] [--data-dir DIR]
      Import a catalog CSV (docs/catalog-csv.md); bad rows are reported with their line numbers.
  prilavok catalog gen --skus N [--out FILE] [--seed S]
      Write a generated catalog CSV of N items (stdout without --out).
  prilavok audit verify [--data-dir DIR]
      Check the hash chain of the audit log; exit 1 if it was tampered with.
  prilavok doctor [--data-dir DIR]
      Check the machine and the lane's databases.
  prilavok lane connect --hq URL --token TOKEN [--data-dir DIR] | lane disconnect
      Point the lane at its head office (token from "hq lane add"); used from the next start.
  prilavok fiscal status --port PATH|tcp://HOST:PORT [--baud N] --json
      Read a fiscal register's state (mode, FN serial, last document, shift, unsent documents).
  prilavok gateway --config FILE [--port N]
      A headless fiscal gateway with the Starrys Complex JSON API over a pool of registers.
  prilavok emulate shtrih --pty PATH | --tcp HOST:PORT [--state FILE] [--faults SPEC]
      A Shtrih-M fiscal register emulator on a pty or TCP port.
  prilavok emulate scale-massak|scale-cas|scale-shtrih|scale-mettler8217 --pty PATH | --tcp HOST:PORT
      A weighing-scale emulator (weight set from stdin: put G).
  prilavok km parse CODE [--json] [--substitute C]... [--no-rebuild] [--strict]
      Read a marking code (GS aliases such as \\u001d or <GS> accepted): groups, GTIN, serial, CIS, MRP.
  prilavok km check CODE [--api URL] [--key KEY] [--lm URL] [--price KOPECKS] [--return] --json
      The permissive-mode decision for a code through the True API (CDN base) and/or the local module.
  prilavok emulate truapi|lm|tspiot --port N
      True API CDN + hosts, local module, ТС ПИоТ emulators with scenario codes (docs/marking.md).
  prilavok emulate zvt|inpas|upos …
      Bank card terminal emulators (docs/payments.md).
  prilavok emulate trassir|axxon|textfeed --port N
      A video-system receiver that parses, validates and prints the POS events it gets.
  prilavok bench catalog --skus N --json
  prilavok bench sale [--receipts N] --json
  prilavok bench startup --skus N --json
  prilavok bench video --json
  prilavok bench fiscal [--receipts N] [--baud N] --json
      Benchmarks: one JSON object on stdout (../shared/design/BENCHMARKS.md conventions).

The data directory defaults to $PRILAVOK_DATA_DIR or the platform's app-data folder.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start': return await startCommand(rest);
      case 'catalog': return await catalogCommand(rest);
      case 'audit': return await auditCommand(rest);
      case 'doctor': return await doctorCommand(rest);
      case 'bench': return await benchCommand(rest);
      case 'emulate': return await emulateCommand(rest);
      case 'km': {
        const { kmCommand } = await import('./commands/km');
        return await kmCommand(rest);
      }
      case 'lane': { const { laneCommand } = await import('./commands/lane'); return await laneCommand(rest); }
      case 'gateway': { const { gatewayCommand } = await import('./commands/gateway'); return await gatewayCommand(rest); }
      case 'fiscal': { const { fiscalCommand } = await import('./commands/fiscal'); return await fiscalCommand(rest); }
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`prilavok: unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`prilavok ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

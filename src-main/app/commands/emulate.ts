// `prilavok emulate DEVICE …`: device emulators for tests and the demo (they are not shipped as devices).
// Each device family exposes `runEmulator(device, argv)` from its drivers/ folder, loaded on demand.
export async function emulateCommand(argv: string[]): Promise<number> {
  const [device, ...rest] = argv;
  switch (device) {
    case 'shtrih': {
      const { runShtrihEmulator } = await import('../../../drivers/fiscal/shtrih/emulator-cli');
      return runShtrihEmulator(rest);
    }
    case 'trassir': case 'axxon': case 'textfeed': {
      const { runVideoReceiver } = await import('../../../drivers/video/receiver-cli');
      return runVideoReceiver(device, rest);
    }
    case 'scale-massak': case 'scale-cas': case 'scale-cas-indicator': case 'scale-shtrih': case 'scale-mettler8217': {
      const { runScaleEmulator } = await import('../../../drivers/scales/emulator-cli');
      return runScaleEmulator(device, rest);
    }
    case 'truapi': case 'lm': case 'tspiot': {
      const { runMarkingEmulator } = await import('../../marking/emulators/emulator-cli');
      return runMarkingEmulator(device, rest);
    }
    case 'zvt': {
      const { runZvtEmulator } = await import('../../../drivers/payment/zvt/emulator-cli');
      return runZvtEmulator(rest);
    }
    case 'upos': {
      const { runUposEmulatorSetup } = await import('../../../drivers/payment/upos/emulator-cli');
      return runUposEmulatorSetup(rest);
    }
    case 'inpas': {
      const { runInpasEmulator } = await import('../../../drivers/payment/inpas/emulator-cli');
      return runInpasEmulator(rest);
    }
    case 'scanner': {
      const { runScannerEmulator } = await import('../../../drivers/scanners/emulator-cli');
      return runScannerEmulator(rest);
    }
    case 'escpos': {
      const { runPrinterEmulator } = await import('../../../drivers/printer/emulator-cli');
      return runPrinterEmulator(rest);
    }
    default:
      process.stderr.write('usage: prilavok emulate shtrih --pty PATH | --tcp HOST:PORT [--state FILE] [--faults SPEC] [--baud N --pace]\n'
        + '       prilavok emulate trassir|axxon|textfeed --port N [--host 127.0.0.1] [--udp]\n'
        + '       prilavok emulate zvt --tcp HOST:PORT | --pty PATH [--state FILE] [--faults SPEC] [--password DIGITS] [--step-ms N]\n'
        + '       prilavok emulate upos --dir DIR [--encoding koi8-r|cp866|win1251|utf-8] [--decline KOPECKS]\n'
        + '       prilavok emulate inpas --port N [--encoding cp1251|utf-8|cp866|koi8-r] [--declare xml|header|both|none] [--decline KOPECKS]\n'
        + '       prilavok emulate scanner --pty PATH | --tcp HOST:PORT [--suffix cr|lf|crlf|none] [--prefix TEXT] [--aim ]xy]\n'
        + '       prilavok emulate escpos --tcp HOST:PORT | --pty PATH\n'
        + '       prilavok emulate truapi --port N [--hosts 3] [--latency-ms 0] [--keys KEY1,KEY2]\n'
        + '       prilavok emulate lm --port N [--status ready|not_configured|initialization|sync_error] [--user U --password P] [--last-sync-hours-ago H]\n'
        + '       prilavok emulate tspiot --port N [--token T] [--latency-ms 0]\n'
        + '       prilavok emulate scale-massak|scale-cas|scale-cas-indicator|scale-shtrih|scale-mettler8217 --pty PATH | --tcp HOST:PORT [--weight G] [--baud N] [--pace on|off]\n');
      return 2;
  }
}

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
    default:
      process.stderr.write('usage: prilavok emulate shtrih --pty PATH | --tcp HOST:PORT [--state FILE] [--faults SPEC] [--baud N --pace]\n'
        + '       prilavok emulate trassir|axxon|textfeed --port N [--host 127.0.0.1] [--udp]\n'
        + '       prilavok emulate scale-massak|scale-cas|scale-cas-indicator|scale-shtrih|scale-mettler8217 --pty PATH | --tcp HOST:PORT [--weight G]\n');
      return 2;
  }
}

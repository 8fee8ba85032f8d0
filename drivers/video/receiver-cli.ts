// `prilavok emulate trassir|axxon|textfeed --port N [--host H] [--udp] [--encoding E]`: a receiver that
// prints `VIDEO_RECEIVER_READY <port>`, then one line per message: `EVENT <protocol> <json>` for a
// valid one, `INVALID <protocol> <reason> <json of the raw text>` otherwise. Stops on SIGTERM/SIGINT.
import { TEXT_ENCODINGS, type TextEncoding, type VideoProtocol } from './format';
import { VideoReceiver } from './receiver';

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function runVideoReceiver(kind: VideoProtocol, argv: string[]): Promise<number> {
  const port = Number(option(argv, 'port') ?? 'NaN');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`usage: prilavok emulate ${kind} --port N [--host 127.0.0.1] [--udp] [--encoding utf-8|windows-1251|cp866]\n`);
    return 2;
  }
  const encoding = (option(argv, 'encoding') ?? 'utf-8') as TextEncoding;
  if (!(TEXT_ENCODINGS as readonly string[]).includes(encoding)) {
    process.stderr.write(`--encoding must be one of ${TEXT_ENCODINGS.join(', ')}\n`);
    return 2;
  }
  const udp = argv.includes('--udp');
  if (udp && kind !== 'trassir') {
    process.stderr.write('--udp: only TRASSIR receives over UDP\n');
    return 2;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let receiver: VideoReceiver;
  try {
    receiver = await VideoReceiver.start({
      protocol: kind, port, host: option(argv, 'host') ?? '127.0.0.1', udp, encoding,
      onFrame: (f) => out(`EVENT ${kind} ${JSON.stringify({ type: f.type, ...f.fields })}`),
      onError: (e) => out(`INVALID ${kind} ${e.reason} ${JSON.stringify(e.raw.slice(0, 500))}`),
    });
  } catch (error) {
    process.stderr.write(`prilavok emulate ${kind}: ${(error as Error).message}\n`);
    return 1;
  }
  out(`VIDEO_RECEIVER_READY ${receiver.port}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await receiver.close();
  process.stderr.write(`prilavok emulate ${kind}: ${receiver.frames.length} events, ${receiver.errors.length} invalid\n`);
  return 0;
}

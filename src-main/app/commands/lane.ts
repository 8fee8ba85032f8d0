// `prilavok lane connect|disconnect`: point the lane at its head office (the token comes from
// `hq lane add`). Takes effect at the next start of the lane.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SalesStore } from '../../store/sales-store';
import { dataDirFrom, option } from '../data-dir';
import { SETTINGS_KEYS, UpstreamSettings } from '../lane-settings';

const USAGE = 'usage: prilavok lane connect --hq URL --token TOKEN [--data-dir DIR] | lane disconnect [--data-dir DIR]\n';

export async function laneCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'connect' && sub !== 'disconnect') { process.stderr.write(USAGE); return 2; }
  const file = join(dataDirFrom(rest), 'sales.sqlite');
  if (!existsSync(file)) {
    process.stderr.write(`prilavok lane: no lane at ${file}; start it once first\n`);
    return 2;
  }
  let settings: UpstreamSettings | null = null;
  if (sub === 'connect') {
    const parsed = UpstreamSettings.safeParse({ baseUrl: option(rest, 'hq'), token: option(rest, 'token') });
    if (!parsed.success) {
      process.stderr.write(`prilavok lane connect: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}\n${USAGE}`);
      return 2;
    }
    settings = parsed.data;
  }
  const store = SalesStore.open(file);
  try {
    store.transaction(() => {
      store.settings.put(SETTINGS_KEYS.upstream, settings);
      store.audit.append({ at: new Date().toISOString(), actorId: null, authorisedBy: null, action: sub === 'connect' ? 'lane.upstreamSet' : 'lane.upstreamCleared',
        subjectId: null, details: settings ? { baseUrl: settings.baseUrl } : {} });
    });
    process.stdout.write(settings ? `the lane will send to ${settings.baseUrl} from its next start\n` : 'the lane will keep its outbox to itself from its next start\n');
    return 0;
  } finally {
    store.close();
  }
}

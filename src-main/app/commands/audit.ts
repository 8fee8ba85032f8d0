// `prilavok audit verify`: walks the hash chain of the audit log.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SalesStore } from '../../store/sales-store';
import { dataDirFrom } from '../data-dir';

export async function auditCommand(argv: string[]): Promise<number> {
  if (argv[0] !== 'verify') {
    process.stderr.write('usage: prilavok audit verify [--data-dir DIR]\n');
    return 2;
  }
  const file = join(dataDirFrom(argv), 'sales.sqlite');
  if (!existsSync(file)) {
    process.stderr.write(`prilavok audit verify: no sales database at ${file}\n`);
    return 2;
  }
  const store = SalesStore.open(file);
  try {
    const result = store.audit.verify();
    if (result.ok) {
      process.stdout.write(`audit log intact: ${result.records} records\n`);
      return 0;
    }
    process.stdout.write(`AUDIT LOG BROKEN at record ${result.brokenAtSeq}: ${result.reason} (${result.records} records checked)\n`);
    return 1;
  } finally {
    store.close();
  }
}

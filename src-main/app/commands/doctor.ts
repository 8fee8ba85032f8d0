// `prilavok doctor`: what a support engineer asks first — runtime, tools, data dir, database health.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkDatabaseFile, sqliteInfo } from '../../store/diagnostics';
import { findChromium } from '../../host/find-chromium';
import { dataDirFrom } from '../data-dir';
import { findElectron } from '../start';

interface Check { name: string; ok: boolean; detail: string; critical: boolean }

export async function doctorCommand(argv: string[]): Promise<number> {
  const checks: Check[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  checks.push({ name: 'node', ok: major >= 20, detail: process.version, critical: true });

  try {
    const info = sqliteInfo();
    checks.push({ name: 'sqlite', ok: info.fts5, detail: `${info.version}${info.fts5 ? ', FTS5' : ', FTS5 MISSING'}`, critical: true });
  } catch (error) {
    checks.push({ name: 'sqlite', ok: false, detail: `better-sqlite3 does not load: ${(error as Error).message}`, critical: true });
  }

  const dataDir = dataDirFrom(argv);
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    checks.push({ name: 'data dir', ok: true, detail: dataDir, critical: true });
  } catch (error) {
    checks.push({ name: 'data dir', ok: false, detail: `${dataDir}: ${(error as Error).message}`, critical: true });
  }
  for (const name of ['sales.sqlite', 'catalog.sqlite']) {
    const file = join(dataDir, name);
    if (!existsSync(file)) {
      checks.push({ name, ok: true, detail: 'not created yet (first start creates it)', critical: false });
      continue;
    }
    try {
      const h = checkDatabaseFile(file);
      checks.push({ name, ok: h.ok, detail: `version ${h.userVersion}, ${h.journalMode}, quick_check ${h.quickCheck}`, critical: true });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message, critical: true });
    }
  }

  const electron = findElectron();
  checks.push({ name: 'electron', ok: true, critical: false,
    detail: 'path' in electron ? electron.path : `not available: ${electron.reason} (browser mode will be used)` });
  const chromium = findChromium();
  checks.push({ name: 'chromium', ok: chromium !== null, detail: chromium ?? 'not found: browser mode prints the URL instead', critical: false });

  for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : c.critical ? 'FAIL' : 'warn'}  ${c.name.padEnd(15)} ${c.detail}\n`);
  return checks.some((c) => c.critical && !c.ok) ? 1 : 0;
}

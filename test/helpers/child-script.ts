// A lane process for crash tests: the given ESM source (importing project files by absolute path)
// bundled to plain JS inside out/test/, so that the child resolves the native modules from the
// project's node_modules, and a killed child is a real process dying mid-transaction.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface ChildScript {
  readonly path: string;
  remove(): void;
}

/** An absolute import specifier for a project file, for use inside the child's source. */
export const projectFile = (relative: string): string => JSON.stringify(join(process.cwd(), relative));

/** external: more packages to leave to run-time resolution (e.g. PGlite, which loads its .wasm next to itself). */
export async function buildChildScript(name: string, source: string, options: { external?: string[] } = {}): Promise<ChildScript> {
  const dir = join(process.cwd(), 'out', 'test');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${name}-${process.pid}.src.mjs`);
  const path = join(dir, `${name}-${process.pid}.mjs`);
  writeFileSync(entry, source);
  await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: path, logLevel: 'error',
    // Native modules (their .node binaries) resolve at run time, as in the app's own bundle.
    external: ['better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'usb', '@node-usb/*', ...(options.external ?? [])],
    // Bundled ESM still needs require() for the CommonJS dependencies it leaves external.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    nodePaths: [join(process.cwd(), 'node_modules')],
  });
  rmSync(entry, { force: true });
  return { path, remove: () => rmSync(path, { force: true }) };
}

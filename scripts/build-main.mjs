// Builds the main process to plain JS with esbuild: one bundle per entry point, native and
// Electron modules left external. The renderer is built by Vite (see vite.config.ts).
import { build } from 'esbuild';

const external = ['electron', 'better-sqlite3', 'ws', 'playwright-core', 'serialport', '@serialport/*', 'node-hid', 'usb'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
};

await build({
  ...common,
  format: 'esm',
  entryPoints: { 'main/cli': 'src-main/app/cli.ts', 'electron/main': 'src-main/electron/main.ts' },
  outdir: 'out',
  // Bundled ESM still needs require() for the CommonJS dependencies it leaves external.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// A sandboxed preload must be a single CommonJS file.
await build({ ...common, format: 'cjs', entryPoints: { 'electron/preload': 'src-main/electron/preload.ts' }, outdir: 'out', outExtension: { '.js': '.cjs' } });

// Bundles hq/src (and the lane contract it shares) into dist/cli.mjs, and dist/child.mjs (the head
// office as a forked child, for `prilavok bench sync`). Database drivers stay external:
// they load from hq/node_modules at run time. esbuild and zod come from the repository root.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli.ts', child: 'src/child.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['pg', '@electric-sql/pglite', 'better-sqlite3'],
  logLevel: 'warning',
});

#!/usr/bin/env node
// Runs the built head office (npm run build in hq/ writes dist/cli.mjs).
import { main } from '../dist/cli.mjs';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`hq: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

#!/usr/bin/env node
// Bundles the `badge` CLI into one file, dist/badge.mjs: Node loads one module much faster than
// the ~170 that tsc emits, which is most of Badge's start-up time. Dependencies stay outside (a
// native addon, and modules loaded only when needed).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/badge.ts'],
  outfile: 'dist/badge.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'ws', 'yaml'],
  logLevel: 'warning',
});

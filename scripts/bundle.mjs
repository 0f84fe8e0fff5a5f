#!/usr/bin/env node
// Bundles the `badge` CLI into one file, dist/badge.mjs: Node loads one module much faster than
// the ~170 that tsc emits, which is most of Badge's start-up time. Dependencies stay outside (a
// native addon, and modules loaded only when needed). Worker threads are bundled apart.
import { cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['better-sqlite3', 'ws', 'yaml', 'protobufjs', 'prom-client', 'etcd3'], logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/cli/badge.ts'], outfile: 'dist/badge.mjs' });
// The kubectl plugin `kubectl access` (package.json bin kubectl-access).
await build({ ...common, entryPoints: ['src/cli/kubectl-access.ts'], outfile: 'dist/kubectl-access.mjs' });
// The worker threads (server/decode-worker.ts, server/openapi/v2-worker.ts, storage/sqlite/sqlite-writer.ts) are loaded beside the module that starts them.
await build({ ...common, entryPoints: ['src/server/decode-worker.ts'], outfile: 'dist/decode-worker.js' });
await build({ ...common, entryPoints: ['src/server/openapi/v2-worker.ts'], outfile: 'dist/v2-worker.js' });
await build({ ...common, entryPoints: ['src/storage/sqlite/sqlite-writer.ts'], outfile: 'dist/sqlite-writer.js' });
// The web console (src/console/ui/): its page, styles and script, for the browser; the graph layout
// library and the YAML printer are bundles of their own, loaded when first needed (imported as
// ./elk.js and ./yaml.js, left to the browser). The server serves dist/console/.
rmSync('dist/console', { recursive: true, force: true });
const browser = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, logLevel: 'warning' };
await build({ ...browser, entryPoints: ['src/console/ui/main.ts'], outfile: 'dist/console/app.js', external: ['./elk.js', './yaml.js'] });
await build({ ...browser, entryPoints: ['src/console/ui/elk.ts', 'src/console/ui/yaml.ts'], outdir: 'dist/console' });
for (const file of ['index.html', 'style.css']) cpSync(`src/console/ui/${file}`, `dist/console/${file}`);

#!/usr/bin/env node
// `npm test`: build, check the machine has what the tests drive, then run every test file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

if (!existsSync('/usr/bin/kubectl')) {
  console.error('npm test: the end-to-end tests drive the real kubectl at /usr/bin/kubectl, which is missing.');
  process.exit(1);
}

run('npx', ['tsc', '-p', '.']);
const filter = process.argv.slice(2);
const files = [...findTests('dist/src'), ...findTests('dist/test')].filter((f) => !filter.length || filter.some((x) => f.includes(x)));
run(process.execPath, ['--test', '--test-concurrency=2', ...files]);

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

/** Installs Debian packages with apt-get when run as root; says how otherwise. */
function ensurePackages(present, packages, why) {
  if (present()) return;
  if (process.getuid?.() === 0) {
    console.error(`npm test: installing ${packages.join(' ')} (apt-get) for ${why}`);
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (!present()) console.error(`npm test: ${why} needs ${packages.join(' ')}; run \`apt-get install -y ${packages.join(' ')}\` as root (those tests are skipped)`);
}

// The tutorial's Python example runs in a pod with Debian's python3-kubernetes.
ensurePackages(() => spawnSync('/usr/bin/python3', ['-c', 'import kubernetes']).status === 0, ['python3-kubernetes'], 'the in-pod Python example');
// The storage suite and the etcd end-to-end tests run against a real etcd (Debian's 3.4).
ensurePackages(() => existsSync('/usr/bin/etcd') && existsSync('/usr/bin/etcdctl'), ['etcd-server', 'etcd-client'], 'the etcd storage backend tests');
// The web console's end-to-end tests drive Debian's Chromium (through playwright-core).
ensurePackages(() => existsSync('/usr/bin/chromium'), ['chromium'], 'the web console end-to-end tests');

run('npx', ['tsc', '-p', '.']);
// The console's browser code, with the DOM's types.
run('npx', ['tsc', '-p', 'src/console']);
run(process.execPath, ['scripts/bundle.mjs']);
const filter = process.argv.slice(2);
const files = [...findTests('dist/src'), ...findTests('dist/test')].filter((f) => !filter.length || filter.some((x) => f.includes(x)));
// Files named *.alone.test.js measure responsiveness: they run after the others, one at a time.
const alone = files.filter((f) => f.endsWith('.alone.test.js'));
const together = files.filter((f) => !alone.includes(f));
if (together.length) run(process.execPath, ['--test', '--test-concurrency=2', ...together]);
if (alone.length) run(process.execPath, ['--test', '--test-concurrency=1', ...alone]);

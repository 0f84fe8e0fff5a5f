import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

it('raises the soft open-file limit to the hard one', () => {
  const module = fileURLToPath(new URL('./open-files.js', import.meta.url));
  const script = `
    import { raiseOpenFileLimit } from ${JSON.stringify(module)};
    import { readFileSync } from 'node:fs';
    raiseOpenFileLimit();
    const soft = () => readFileSync('/proc/self/limits', 'utf8').match(/Max open files\\s+(\\S+)\\s+(\\S+)/).slice(1);
    const end = Date.now() + 5000;
    const wait = () => { const [s, h] = soft(); if (s === h || Date.now() > end) console.log(s, h); else setTimeout(wait, 20); };
    wait();`;
  // Started with a soft limit of 256 under a hard limit of 4096.
  const r = spawnSync('prlimit', ['--nofile=256:4096', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '4096 4096');
});

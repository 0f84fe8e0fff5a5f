import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { DataDirInUseError, lockDataDir } from './lock.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];

describe('lockDataDir', () => {
  it('one holder at a time; released, it can be taken again', () => {
    const file = join(dir, 'a.lock');
    const unlock = lockDataDir(file);
    assert.throws(() => lockDataDir(file), (err: unknown) => err instanceof DataDirInUseError && err.code === 'DataDirInUse' && err.message === `the data dir ${dir} is in use by another badge server (pid ${process.pid}); stop it or use another --data-dir`);
    unlock();
    lockDataDir(file)();
  });

  it('another process holds it until it dies: right after kill -9, still unreaped (a zombie), it can be taken', async () => {
    const file = join(dir, 'b.lock');
    const holder = `import { lockDataDir } from ${JSON.stringify(fileURLToPath(new URL('./lock.js', import.meta.url)))};
      lockDataDir(${JSON.stringify(file)}); console.log(process.pid); setInterval(() => {}, 1e6);`;
    // The holder's parent is `sleep` (the shell execs it), which never reaps its children.
    const parent = spawn('sh', ['-c', `"${process.execPath}" --input-type=module -e "$0" & exec sleep 600`, holder], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(String(d)))));
      assert.throws(() => lockDataDir(file), new RegExp(`in use by another badge server \\(pid ${pid}\\)`));
      process.kill(pid, 'SIGKILL');
      while (state(pid) !== 'Z') await new Promise((r) => setTimeout(r, 5));
      lockDataDir(file)();
      assert.equal(state(pid), 'Z', 'nobody has reaped it');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('takes over the pid file an earlier Badge locked with', () => {
    const file = join(dir, 'c.lock');
    writeFileSync(file, '1');
    lockDataDir(file)();
  });
});

// scripts/scale-out.sh: a 3-member etcd and three Badge servers on one machine, up and down.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { etcdMissing } from '../../src/testing/etcd.js';
import { run } from './harness.js';

const SCRIPT = join(process.cwd(), 'scripts/scale-out.sh');

describe('e2e: scripts/scale-out.sh', { skip: etcdMissing() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'badge-scale-out-'));
  // Ports of their own (etcd: base+11…base+32; Badge: 3 from its base), away from the defaults,
  // and below Linux's ephemeral range (32768 on): a server of another test listening on port 0,
  // or a client's socket, took one of them once.
  const base = 20_000 + Math.floor(Math.random() * 120) * 100;
  const env = { ETCD_PORT: String(base), BADGE_PORT: String(base + 50) };
  const script = (cmd: string) => run('/bin/bash', [SCRIPT, cmd, dir], { env, timeoutMs: 120_000 });
  const kubectl = (args: string[]) => run('/usr/bin/kubectl', ['--kubeconfig', join(dir, 'badge-1', 'kubeconfig.yaml'), '--cache-dir', join(dir, 'cache'), ...args]);
  after(async () => {
    await script('down');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts 3 etcd members and 3 servers serving one cluster, and stops them', async () => {
    const up = await script('up');
    assert.equal(up.code, 0, up.stdout + up.stderr);
    for (let i = 0; i < 3; i++) assert.match(up.stdout, new RegExp(`Badge is ready at https://127.0.0.1:${base + 50 + i} `));
    assert.match(up.stdout, new RegExp(`kubeconfig: ${join(dir, 'badge-1', 'kubeconfig.yaml')}`));
    await eventually(async () => {
      const nodes = await kubectl(['get', 'nodes', '--no-headers']);
      return nodes.stdout.match(/ Ready /g)?.length === 3;
    }, '3 Ready nodes', 30_000);
    await eventually(async () => (await kubectl(['get', 'endpoints', 'kubernetes', '--no-headers'])).stdout.split(',').length === 3, 'the kubernetes Endpoints list 3 servers', 30_000);
    const status = await script('status');
    assert.equal(status.stdout.match(/: running \(pid/g)?.length, 6, status.stdout);
    const pids = ['etcd-m1', 'badge-3'].map((n) => Number(readFileSync(join(dir, `${n}.pid`), 'utf8')));

    const down = await script('down');
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stdout.match(/^stopped /gm)?.length, 6, down.stdout);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});

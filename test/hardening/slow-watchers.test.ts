// Watchers that stop reading (a client process stopped with SIGSTOP): the initial events wait for
// them, and a watcher far behind on later events is ended (as kube-apiserver ends an unresponsive
// watcher) instead of the server keeping every later event for it. Other watchers are not held up.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from '../e2e/harness.js';

const CLIENT = join(dirname(fileURLToPath(import.meta.url)), 'watch-client.js');
/** 900 KiB of data: a ConfigMap under the 1 MiB limit. */
const BIG = 'x'.repeat(900 * 1024);
const NS = '/api/v1/namespaces/default/configmaps';

interface Watcher {
  child: ChildProcess;
  /** The ConfigMaps it got, and whether the server ended its stream, once it exits. */
  result: Promise<{ names: string[]; ended: boolean }>;
}

describe('hardening: watchers that stop reading', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b?.close());

  /** A watch client process (HTTP/1.1, or HTTP/2 when `h2`); resolves once its request is sent. */
  const watch = (query: string, h2 = false) =>
    new Promise<Watcher>((resolve, reject) => {
      const args = [CLIENT, String(b.server.port), b.dataDir, `${NS}?watch=true&${query}`, ...(h2 ? ['h2'] : [])];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      const result = new Promise<{ names: string[]; ended: boolean }>((done) =>
        child.once('exit', () => {
          const [names, how] = out.split('\n').slice(1);
          done({ names: JSON.parse(names ?? '[]') as string[], ended: how === 'ended' });
        }),
      );
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.startsWith('sent\n')) resolve({ child, result });
      });
      child.once('error', reject);
    });
  /** Its result once the server ends the stream, or after `ms` (then it is told to stop). */
  const within = (w: Watcher, ms: number) => {
    const timer = setTimeout(() => w.child.kill('SIGTERM'), ms);
    return w.result.finally(() => clearTimeout(timer));
  };
  const create = async (name: string) => {
    const r = await b.api('POST', NS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: BIG } }), { 'Content-Type': 'application/json' });
    assert.equal(r.status, 201, r.body.toString());
  };

  it('the initial events wait for a client that stopped reading: it gets every one', async () => {
    for (let i = 0; i < 40; i++) await create(`c-initial-${i}`);
    // 36 MiB of initial events, more than a watcher may fall behind on later events.
    const w = await watch('resourceVersion=0');
    w.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 1000));
    w.child.kill('SIGCONT');
    const { names, ended } = await within(w, 5000);
    assert.equal(ended, false, 'the watch stays open');
    assert.equal(names.filter((n) => n.startsWith('c-initial-')).length, 40);
  });

  for (const h2 of [false, true]) {
    it(`a watcher that stops reading is ended once far behind; a reading watcher gets every event (${h2 ? 'HTTP/2' : 'HTTP/1.1'})`, async () => {
      const rv = JSON.parse((await b.api('GET', NS)).body.toString()).metadata.resourceVersion as string;
      const stuck = await watch(`resourceVersion=${rv}`, h2);
      const reader = await watch(`resourceVersion=${rv}`, h2);
      stuck.child.kill('SIGSTOP');
      // 72 MiB of events, far more than the 16 MiB a watcher may have unsent plus the buffers on the way.
      for (let i = 0; i < 80; i++) await create(`c-live-${h2 ? 'h2-' : ''}${i}`);
      stuck.child.kill('SIGCONT');
      const got = await within(stuck, 10_000);
      assert.equal(got.ended, true, 'the stopped watcher was ended');
      assert.ok(got.names.length < 80, `the stopped watcher got ${got.names.length} events`);
      const read = await within(reader, 1000);
      assert.equal(read.ended, false);
      assert.equal(read.names.length, 80);
    });
  }
});

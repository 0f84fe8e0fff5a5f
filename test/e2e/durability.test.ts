// A crash never loses an acknowledged write: kill -9 a real server process right after its 201s.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startBadgeProcess } from './harness.js';

/** What a server that must not start printed (one that does start is stopped, failing the test). */
async function refusal(dataDir: string): Promise<string> {
  const started = await startBadgeProcess(dataDir).catch((err: Error) => err);
  if (started instanceof Error) return started.message;
  await started.stop('SIGKILL');
  return assert.fail('the server started');
}

describe('e2e: durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-durable-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged create across kill -9, and reuses its keys', async () => {
    const first = await startBadgeProcess(dataDir);
    const caBefore = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const name = `durable-${i}`;
        const { status } = await first.api('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } }));
        if (status === 201) acked.push(name);
      }),
    );
    await first.stop('SIGKILL');
    assert.equal(acked.length, 40);

    const second = await startBadgeProcess(dataDir);
    try {
      const list = (await second.api('GET', '/api/v1/namespaces/default/serviceaccounts')).json;
      const names = new Set(list.items.map((i: any) => i.metadata.name));
      for (const n of acked) assert.ok(names.has(n), `${n} survived`);
      // The bundled CLI loads prom-client (outside the bundle) at the first scrape.
      const metrics = await second.api('GET', '/metrics');
      assert.equal(metrics.status, 200, metrics.text);
      assert.match(metrics.text, /^apiserver_storage_objects\{resource="serviceaccounts"\} \d+$/m);
      assert.match(metrics.text, /^process_resident_memory_bytes \d+/m);
      assert.equal(readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'), caBefore, 'the CA is reused');
    } finally {
      await second.stop();
    }
  });

  it('keeps private keys, the kubeconfig and the database owner-only', () => {
    for (const f of ['pki/ca.key', 'pki/serving.key', 'pki/admin.key', 'kubeconfig.yaml', 'state.db']) {
      assert.equal(statSync(join(dataDir, f)).mode & 0o777, 0o600, f);
    }
  });

  it('refuses a second server on the same data dir', async () => {
    const one = await startBadgeProcess(dataDir);
    try {
      assert.match(await refusal(dataDir), new RegExp(`badge: the data dir ${dataDir} is in use by another badge server \\(pid ${one.child.pid}\\)`));
    } finally {
      await one.stop();
    }
  });

  it('refuses a damaged data dir, naming the file, and starts again once it is restored', async () => {
    const damages: [string, (path: string) => void, string][] = [
      ['state.db', (p) => truncateSync(p, 0), 'is empty'],
      ['pki/sa-rs256.key', (p) => rmSync(p), 'is missing'],
      ['pki/ca.key', (p) => rmSync(p), 'is missing'],
      ['pki/admin.key', (p) => writeFileSync(p, 'garbage'), 'is not a PEM private key'],
    ];
    for (const [file, damage, problem] of damages) {
      const path = join(dataDir, file);
      const backup = readFileSync(path);
      damage(path);
      const message = await refusal(dataDir);
      assert.ok(message.includes(`badge: the data dir ${dataDir} is damaged: ${path} ${problem}`) && message.includes('restore it from a backup'), message);
      writeFileSync(path, backup, { mode: 0o600 });
    }
    await (await startBadgeProcess(dataDir)).stop();
  });
});

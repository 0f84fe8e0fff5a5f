// A crash never loses an acknowledged write: kill -9 a real server process right after its 201s.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

// The bundled CLI (scripts/bundle.mjs), as `npm start` and the `badge` binary run it.
const BADGE = join(process.cwd(), 'dist/badge.mjs');

function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BADGE, 'server', '--data-dir', dataDir, '--port', '0']);
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (https:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/** What a server that must not start printed (one that does start is stopped, failing the test). */
async function refusal(dataDir: string): Promise<string> {
  const started = await startProcess(dataDir).catch((err: Error) => err);
  if (started instanceof Error) return started.message;
  started.child.kill('SIGKILL');
  await new Promise((r) => started.child.once('exit', r));
  return assert.fail('the server started');
}

function post(url: string, dataDir: string, path: string, body: object): Promise<number> {
  const pki = (f: string) => readFileSync(join(dataDir, 'pki', f), 'utf8');
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(`${url}${path}`, { method: 'POST', ca: pki('ca.crt'), cert: pki('admin.crt'), key: pki('admin.key'), headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(text);
  });
}

function get(url: string, dataDir: string, path: string): Promise<any> {
  const pki = (f: string) => readFileSync(join(dataDir, 'pki', f), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { ca: pki('ca.crt'), cert: pki('admin.crt'), key: pki('admin.key') }, (res) => {
      let t = '';
      res.on('data', (c) => (t += c));
      res.on('end', () => resolve(JSON.parse(t)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('e2e: durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-durable-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged create across kill -9, and reuses its keys', async () => {
    const first = await startProcess(dataDir);
    const caBefore = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const name = `durable-${i}`;
        const code = await post(first.url, dataDir, '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
        if (code === 201) acked.push(name);
      }),
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    assert.equal(acked.length, 40);

    const second = await startProcess(dataDir);
    try {
      const list = await get(second.url, dataDir, '/api/v1/namespaces/default/serviceaccounts');
      const names = new Set(list.items.map((i: any) => i.metadata.name));
      for (const n of acked) assert.ok(names.has(n), `${n} survived`);
      assert.equal(readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'), caBefore, 'the CA is reused');
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  });

  it('keeps private keys, the kubeconfig and the database owner-only', () => {
    for (const f of ['pki/ca.key', 'pki/serving.key', 'pki/admin.key', 'kubeconfig.yaml', 'state.db']) {
      assert.equal(statSync(join(dataDir, f)).mode & 0o777, 0o600, f);
    }
  });

  it('refuses a second server on the same data dir', async () => {
    const one = await startProcess(dataDir);
    try {
      assert.match(await refusal(dataDir), new RegExp(`badge: the data dir ${dataDir} is in use by another badge server \\(pid ${one.child.pid}\\)`));
    } finally {
      one.child.kill('SIGTERM');
      await new Promise((r) => one.child.once('exit', r));
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
    const restored = await startProcess(dataDir);
    restored.child.kill('SIGTERM');
    await new Promise((r) => restored.child.once('exit', r));
  });
});

// The API server starts on its own: a registry, an authenticator and an authorizer are all it
// needs (no controllers, no node agent).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiServerMetrics } from './metrics/apiserver-metrics.js';
import { systemRandom } from '../api/clock.js';
import { ensurePki } from '../pki/certs.js';
import { configmaps } from '../registry/resources/configmaps.js';
import { namespaces } from '../registry/resources/namespaces.js';
import { testRegistry, type TestRegistry } from '../registry/resources/testing.js';
import { listenApi, type ApiServer } from './api-server.js';

describe('the API server alone', () => {
  let t: TestRegistry;
  let api: ApiServer;
  let dir: string;
  let ca: string;
  const get = (path: string) =>
    new Promise<{ status: number; json: any }>((resolve, reject) => {
      const req = request(`${api.url}${path}`, { ca }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) }));
      });
      req.on('error', reject);
      req.end();
    });

  before(async () => {
    t = testRegistry([namespaces, configmaps]);
    dir = mkdtempSync(join(tmpdir(), 'badge-api-server-'));
    const pki = await ensurePki(dir, new Date());
    ca = pki.ca.cert;
    api = await listenApi({ port: 0, bindAddress: '127.0.0.1', tls: { key: pki.serving.key, cert: pki.serving.cert, ca: pki.ca.cert } });
  });
  after(async () => {
    await api?.close();
    t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 until it serves', async () => {
    const r = await get('/api/v1/namespaces');
    assert.equal(r.status, 503);
    assert.equal(r.json.reason, 'ServiceUnavailable');
  });

  it('serves the registry through the pipeline once told to', async () => {
    await t.store(namespaces).create(t.ctx, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    await t.store(configmaps).create(t.ctx, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
    const anyone = { username: 'alice', groups: ['devs'] };
    api.serve({
      registry: t.registry,
      authenticator: { name: 'everyone is alice', authenticate: async () => ({ user: anyone }) },
      authorizer: { authorize: async (a) => ({ decision: a.verb === 'get' || a.verb === 'list' ? 'allow' : 'no-opinion', reason: '' }) },
      health: [{ name: 'ping', problem: () => undefined }],
      metrics: new ApiServerMetrics(async () => []),
      clock: t.clock,
      random: systemRandom,
    });
    const list = await get('/api/v1/namespaces/default/configmaps');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c']);
    assert.equal((await get('/api/v1/namespaces/default/configmaps/c')).json.data.a, 'b');
    assert.equal((await get('/api/v1/namespaces/default/pods')).status, 404, 'only what the registry serves');
  });
});

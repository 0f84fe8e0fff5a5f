// Reply bytes as kube-apiserver writes them: indented for people (curl, browsers, ?pretty=true),
// HTML-safe escapes, and discovery's storageVersionHash.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { run } from './harness.js';
import { startBadge, type Badge } from './harness.js';

describe('e2e: reply formats', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    await b.api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'html' }, data: { page: '<b>&</b>' } }));
  });
  after(() => b?.close());

  const curl = (path: string, ...args: string[]) =>
    run('curl', ['-s', '--cacert', `${b.dataDir}/pki/ca.crt`, '--cert', `${b.dataDir}/pki/admin.crt`, '--key', `${b.dataDir}/pki/admin.key`, ...args, `${b.server.url}${path}`]);

  it('curl gets indented JSON without a final newline, as json.MarshalIndent writes it (issue 9.14)', async () => {
    const { stdout } = await curl('/api/v1/namespaces/default/configmaps/html');
    assert.ok(stdout.startsWith('{\n  "'), stdout);
    assert.ok(stdout.includes('\n  "kind": "ConfigMap",\n') && stdout.includes('\n  "metadata": {\n    "name": "html",\n'), stdout);
    assert.ok(stdout.endsWith('\n}'), JSON.stringify(stdout.slice(-10)));
    assert.match(stdout, /"page": "\\u003cb\\u003e\\u0026\\u003c\/b\\u003e"/);
  });

  it('?pretty=false turns it off for curl; ?pretty=true turns it on for any client; browsers and Wget get it', async () => {
    const plain = await curl('/api/v1/namespaces/default/configmaps/html?pretty=false');
    assert.ok(plain.stdout.startsWith('{"') && plain.stdout.includes('"metadata":{"name":"html",') && plain.stdout.endsWith('}\n'), plain.stdout);
    const pretty = await b.api('GET', '/api/v1/namespaces/default/configmaps/html?pretty=true');
    assert.ok(pretty.text.startsWith('{\n  "'), pretty.text);
    for (const agent of ['Mozilla/5.0 (X11; Linux x86_64)', 'Wget/1.21']) {
      assert.ok((await b.api('GET', '/api/v1/namespaces', undefined, { 'User-Agent': agent })).text.startsWith('{\n  "kind": "NamespaceList"'), agent);
    }
    const kubectl = await b.api('GET', '/api/v1/namespaces', undefined, { 'User-Agent': 'kubectl/v1.32.0 (linux/amd64)' });
    assert.ok(kubectl.text.startsWith('{"kind":"NamespaceList"'));
    const error = await curl('/api/v1/namespaces/default/configmaps/nope');
    assert.ok(error.stdout.startsWith('{\n  "kind": "Status",'), error.stdout);
  });

  it('legacy discovery gives every stored resource its storageVersionHash (issue 9.16)', async () => {
    const core = (await b.api('GET', '/api/v1')).json.resources as { name: string; storageVersionHash?: string }[];
    const hash = (list: typeof core, name: string) => list.find((r) => r.name === name)?.storageVersionHash;
    assert.equal(hash(core, 'pods'), 'xPOwRZ+Yhw8=');
    assert.equal(hash(core, 'serviceaccounts'), 'pbx9ZvyFpBE=');
    assert.equal(hash(core, 'pods/status'), undefined);
    const events = (await b.api('GET', '/apis/events.k8s.io/v1')).json.resources as typeof core;
    assert.equal(hash(events, 'events'), 'r2yiGXH7wu8=', 'stored as core/v1 Events');
    const reviews = (await b.api('GET', '/apis/authentication.k8s.io/v1')).json.resources as typeof core;
    assert.equal(hash(reviews, 'tokenreviews'), undefined, 'nothing is stored');
    const deployments = (await b.api('GET', '/apis/apps/v1')).json.resources as typeof core;
    assert.equal(hash(deployments, 'deployments'), '8aSe+NMegvE=');
  });
});

// PATCH under contention and abuse: writes without a resourceVersion never lose to a concurrent
// writer, patches that would cost unbounded work get Kubernetes' Status, and a connection carrying
// large requests and replies stays usable.
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

const CM = '/api/v1/namespaces/default/configmaps';
const configMap = (name: string, data: Record<string, string> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

describe('e2e: PATCH', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('applies every patch without a resourceVersion while another writer keeps changing the object', async () => {
    assert.equal((await b.api('POST', CM, configMap('contended'))).status, 201);
    let writing = true;
    const writer = async () => {
      for (let i = 0; writing; i++) {
        const r = await b.api('PATCH', `${CM}/contended`, JSON.stringify({ data: { counter: String(i) } }), MERGE);
        assert.equal(r.status, 200, r.text);
      }
    };
    const writers = [writer(), writer()];
    const patches = await Promise.all(Array.from({ length: 40 }, (_, i) => b.api('PATCH', `${CM}/contended`, JSON.stringify({ metadata: { labels: { [`l${i}`]: 'x' } } }), MERGE)));
    writing = false;
    await Promise.all(writers);
    assert.deepEqual(patches.map((r) => r.status), patches.map(() => 200));
    const labels = (await b.api('GET', `${CM}/contended`)).json.metadata.labels;
    assert.equal(Object.keys(labels).length, 40);
    // A patch that names a stale resourceVersion still conflicts.
    const stale = await b.api('PATCH', `${CM}/contended`, JSON.stringify({ metadata: { resourceVersion: '1' } }), MERGE);
    assert.equal(stale.status, 409);
    assert.equal(stale.json.message, 'Operation cannot be fulfilled on configmaps "contended": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('takes resourceVersion "0" in an update as unconditional', async () => {
    const created = (await b.api('POST', CM, configMap('zero', { a: '1' }))).json;
    await b.api('PATCH', `${CM}/zero`, JSON.stringify({ data: { a: '2' } }), MERGE);
    const r = await b.api('PUT', `${CM}/zero`, JSON.stringify({ ...created, metadata: { ...created.metadata, resourceVersion: '0' }, data: { a: '3' } }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data, { a: '3' });
  });

  it('refuses a JSON patch copying an array into itself over and over with the Status the apiserver sends', async () => {
    assert.equal((await b.api('POST', CM, configMap('bomb'))).status, 201);
    const grow = { op: 'add', path: '/metadata/annotations', value: { a: 'x'.repeat(1000) } };
    // Each copy doubles the annotation map's copy; 25 of them would be 32 GB.
    const bomb = [grow, ...Array.from({ length: 25 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` }))];
    const r = await b.api('PATCH', `${CM}/bomb`, JSON.stringify(bomb), { 'Content-Type': 'application/json-patch+json' });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422 });
    assert.equal((await b.api('GET', `${CM}/bomb`)).json.metadata.annotations, undefined);
  });

  it('answers a patch nested too deep with a BadRequest, never a 500', async () => {
    assert.equal((await b.api('POST', CM, configMap('deep'))).status, 201);
    const deep = `{"metadata":{"annotations":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`;
    for (const type of ['application/merge-patch+json', 'application/strategic-merge-patch+json']) {
      const r = await b.api('PATCH', `${CM}/deep`, deep, { 'Content-Type': type });
      assert.equal(r.status, 400, r.text.slice(0, 200));
      assert.equal(r.json.message, "error decoding patch: json parse error: invalid character '{' exceeded max depth");
    }
    const created = await b.api('POST', CM, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deeper"},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    assert.equal(created.status, 400);
    assert.match(created.json.message, /json parse error: invalid character '\[' exceeded max depth/);
  });

  it('words a strategic merge patch putting a string where a map belongs as the unstructured converter does', async () => {
    assert.equal((await b.api('POST', CM, configMap('typed'))).status, 201);
    const r = await b.kubectl(['patch', 'configmap', 'typed', '-p', '{"metadata":{"labels":"foo"}}']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'The request is invalid: patch: Invalid value: "map[metadata:map[labels:foo]]": cannot restore map from string\n');
    const data = await b.api('PATCH', `${CM}/typed`, '{"data":{"k":["v"]}}', { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(data.status, 422);
    assert.equal(data.json.message, ' "" is invalid: patch: Invalid value: "map[data:map[k:[v]]]": unrecognized type: string');
  });
});

describe('e2e: a connection with large requests behind large replies', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  /** Writes `requests` in turn on one TLS connection (pausing `gapMs` before each), and returns all it read until the server closed. */
  function exchange(requests: string[], gapMs: number): Promise<string> {
    const { server } = b;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: server.pki.ca.cert, cert: server.pki.admin.cert, key: server.pki.admin.key, servername: 'localhost' }, async () => {
        for (const request of requests) {
          await new Promise((r) => setTimeout(r, gapMs));
          socket.write(request);
        }
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (text += d));
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
    });
  }

  it('reads a large request that arrives while the previous reply is still queued', async () => {
    // A watch holds the connection for a second; a GET behind it has a reply of 60 KB waiting (more
    // than a socket buffers before Node stops reading), when a PATCH of 100 KB arrives.
    assert.equal((await b.api('POST', CM, configMap('large', { k: 'x'.repeat(60_000) }))).status, 201);
    const patch = JSON.stringify({ data: { p: 'y'.repeat(100_000) } });
    const head = 'Host: localhost\r\nAccept: application/json\r\n';
    const text = await exchange(
      [
        `GET ${CM}?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dlarge HTTP/1.1\r\n${head}\r\n`,
        `GET ${CM}/large HTTP/1.1\r\n${head}\r\n`,
        `PATCH ${CM}/large HTTP/1.1\r\n${head}Content-Type: application/merge-patch+json\r\nContent-Length: ${patch.length}\r\nConnection: close\r\n\r\n${patch}`,
      ],
      200,
    );
    assert.deepEqual(text.match(/^HTTP\/1\.1 \d+/gm), ['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200']);
    assert.equal((await b.api('GET', `${CM}/large`)).json.data.p.length, 100_000);
  });
});

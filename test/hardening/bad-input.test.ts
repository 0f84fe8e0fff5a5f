// Malformed and hostile input is a 400 Status, never a 500, and never slows the server down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from '../e2e/harness.js';

const token = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('hardening: bad input is a 400 (issue 9.9)', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b?.close());

  async function badRequest(method: string, path: string, message: string | RegExp, body?: string, contentType = 'application/json') {
    const r = await b.api(method, path, body, { 'Content-Type': contentType });
    assert.equal(r.status, 400, `${method} ${path}: ${r.text.slice(0, 300)}`);
    assert.equal(r.json.reason, 'BadRequest');
    if (typeof message === 'string') assert.equal(r.json.message, message);
    else assert.match(r.json.message, message);
  }

  it('limit and resourceVersion beyond an int64', async () => {
    await badRequest('GET', '/api/v1/namespaces?limit=9223372036854775808', 'invalid limit: strconv.ParseInt: parsing "9223372036854775808": value out of range');
    await badRequest('GET', '/api/v1/namespaces?resourceVersion=9223372036854775808', 'invalid resource version: strconv.ParseInt: parsing "9223372036854775808": value out of range');
    await badRequest('GET', '/api/v1/namespaces?watch=1&resourceVersion=18446744073709551616', 'invalid resource version: strconv.ParseInt: parsing "18446744073709551616": value out of range');
  });

  it('timeoutSeconds that is not a number, on a list as on a watch', async () => {
    await badRequest('GET', '/api/v1/namespaces?timeoutSeconds=abc', 'invalid timeoutSeconds: strconv.ParseInt: parsing "abc": invalid syntax');
    await badRequest('GET', '/api/v1/namespaces?watch=true&timeoutSeconds=abc', 'invalid timeoutSeconds: strconv.ParseInt: parsing "abc": invalid syntax');
  });

  it('forged continue tokens', async () => {
    for (const [t, why] of [
      [token({ v: 'meta.k8s.io/v1', rv: 1e300, start: 'x' }), 'json: cannot unmarshal number 1e+300 into Go struct field continueToken.rv of type int64'],
      [token({ v: 'meta.k8s.io/v1', rv: 1.5, start: 'x' }), 'json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64'],
      [token({ v: 'meta.k8s.io/v1', rv: 5, start: '../../secrets/' }), '../../secrets/'],
      [token({ v: 'meta.k8s.io/v1', rv: 5, start: { a: 1 } }), 'json: cannot unmarshal object into Go struct field continueToken.start of type string'],
    ]) {
      await badRequest('GET', `/api/v1/namespaces?limit=1&continue=${t}`, `invalid continue token: continue key is not valid: ${why}`);
    }
  });

  it("JSON nested past 1000 levels (Go allows 10000; Node's own recursion gives out near 2000)", async () => {
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${'['.repeat(20000)}${']'.repeat(20000)}}`;
    await badRequest('POST', '/api/v1/namespaces/default/configmaps', /couldn't get version\/kind; json parse error: invalid character '\[' exceeded max depth/, body);
    // Just below the limit: an ordinary decoding error, not a stack overflow.
    const below = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'['.repeat(990)}${']'.repeat(990)}}`;
    await badRequest('POST', '/api/v1/namespaces/default/configmaps', 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string', below);
    const deepKeys = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${'{"a":'.repeat(990)}1${'}'.repeat(990)}}`;
    const r = await b.api('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', deepKeys);
    assert.equal(r.status, 400, r.text.slice(0, 300));
  });

  it('a YAML alias bomb, and YAML nested too deep', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${levels.join('\n')}\n`;
    await badRequest('POST', '/api/v1/namespaces/default/configmaps', /yaml: document contains excessive aliasing/, bomb, 'application/yaml');
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nx: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    await badRequest('POST', '/api/v1/namespaces/default/configmaps', /yaml: exceeded max depth of 1000/, deep, 'application/yaml');
  });

  it("an object larger than etcd's 1.5 MiB request limit gets etcd's error, as kube-apiserver passes it on", async () => {
    const finalizers = Array.from({ length: 80000 }, (_, i) => `example.com/f${i}`);
    const r = await b.api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'huge', finalizers } }));
    assert.equal(r.status, 500, r.text.slice(0, 300));
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request is too large', code: 500 });
  });

  it('a null list item or map value is the zero value Go decodes it into, never a null a reader meets', async () => {
    const cm = await b.api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'nulls', labels: { x: null } }, data: { k: null } }));
    assert.equal(cm.status, 201, cm.text.slice(0, 300));
    assert.deepEqual([cm.json.metadata.labels, cm.json.data], [{ x: '' }, { k: '' }]);
    const pod = (spec: unknown) => b.api('POST', '/api/v1/namespaces/default/pods?dryRun=All', JSON.stringify({ metadata: { name: 'nulls' }, spec }));
    const bad = await pod({ containers: [null] });
    assert.equal(bad.status, 422, bad.text.slice(0, 300));
    assert.deepEqual(
      bad.json.details.causes.map((c: { field: string }) => c.field),
      ['spec.containers[0].name', 'spec.containers[0].image'],
    );
    const ok = await pod({ containers: [{ name: 'c', image: 'x', args: [null] }], imagePullSecrets: [null] });
    assert.equal(ok.status, 201, ok.text.slice(0, 300));
    assert.deepEqual([ok.json.spec.containers[0].args, ok.json.spec.imagePullSecrets], [[''], [{}]]);
  });

  it('is still serving', async () => {
    assert.equal((await b.api('GET', '/readyz')).status, 200);
    assert.equal((await b.api('GET', '/api/v1/namespaces/default/configmaps/deep')).status, 404);
  });
});

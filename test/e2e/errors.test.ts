// Bad input gets the Status Kubernetes gives, and never hurts the server or its data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

const SA = '/api/v1/namespaces/default/serviceaccounts';
const sa = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });

describe('e2e: errors are Kubernetes Status objects', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  const status = (r: { json: any }) => ({ reason: r.json?.reason, code: r.json?.code, message: r.json?.message });

  it('malformed JSON is a BadRequest', async () => {
    const r = await b.api('POST', SA, '{"apiVersion": "v1", "kind": ');
    assert.equal(r.status, 400);
    assert.equal(r.json.kind, 'Status');
    assert.equal(r.json.reason, 'BadRequest');
    assert.match(r.json.message, /^the object provided is unrecognized \(must be of type ServiceAccount\): couldn't get version\/kind; json parse error: /);
  });

  it('malformed YAML is a BadRequest', async () => {
    const r = await b.api('POST', SA, 'apiVersion: v1\nkind: [unclosed', { 'Content-Type': 'application/yaml' });
    assert.equal(r.status, 400);
    assert.equal(r.json.reason, 'BadRequest');
  });

  it('malformed protobuf is a BadRequest', async () => {
    const r = await b.api('POST', SA, Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff]), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
    assert.equal(r.status, 400);
    assert.equal(r.json.reason, 'BadRequest');
    const noMagic = await b.api('POST', SA, Buffer.from('hello'), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
    assert.equal(noMagic.status, 400);
  });

  it('a body of another kind is refused as upstream words it', async () => {
    const r = await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }));
    assert.deepEqual(status(r), {
      reason: 'BadRequest',
      code: 400,
      message: 'Namespace in version "v1" cannot be handled as a ServiceAccount: converting (v1.Namespace) to (core.ServiceAccount): unknown conversion',
    });
    const unknown = await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'x' } }));
    assert.equal(unknown.json.message, 'Gizmo in version "v1" cannot be handled as a ServiceAccount: no kind "Gizmo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  });

  it('a body over 3 MiB is RequestEntityTooLarge', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'big', annotations: { a: 'x'.repeat(3 * 1024 * 1024) } } });
    const r = await b.api('POST', SA, big);
    assert.equal(r.status, 413);
    assert.deepEqual(status(r), { reason: 'RequestEntityTooLarge', code: 413, message: 'Request entity too large: limit is 3145728' });
  });

  it('an invalid name is Invalid with causes', async () => {
    const r = await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'My_App' } }));
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    assert.equal(
      r.json.message,
      `ServiceAccount "My_App" is invalid: metadata.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    assert.deepEqual(r.json.details.causes.map((c: any) => c.field), ['metadata.name']);
    const kubectl = await b.kubectl(['create', 'sa', 'Bad_Name']);
    assert.equal(kubectl.code, 1);
    assert.match(kubectl.stderr, /^error: failed to create serviceaccount: ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/);
  });

  it('duplicate fields fail strict validation', async () => {
    const r = await b.api('POST', `${SA}?fieldValidation=Strict`, '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"dup","name":"dup2"}}');
    assert.deepEqual(status(r), {
      reason: 'BadRequest',
      code: 400,
      message: 'ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: duplicate field "metadata.name"',
    });
  });

  it('a missing name is Invalid', async () => {
    const r = await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: {} }));
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'ServiceAccount "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('bad selectors are BadRequest', async () => {
    const labels = await b.api('GET', `${SA}?labelSelector=${encodeURIComponent('a in (b')}`);
    assert.equal(labels.status, 400);
    assert.equal(labels.json.reason, 'BadRequest');
    const fields = await b.api('GET', `${SA}?fieldSelector=spec.foo%3Dbar`);
    assert.deepEqual(status(fields), { reason: 'BadRequest', code: 400, message: 'field label not supported: spec.foo' });
    const kubectl = await b.kubectl(['get', 'sa', '-l', 'a in (b']);
    assert.equal(kubectl.code, 1);
  });

  it('unknown resources and paths are NotFound', async () => {
    const r = await b.api('GET', '/api/v1/namespaces/default/gizmos');
    assert.deepEqual(status(r), { reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
    const plain = await b.api('GET', '/nowhere');
    assert.equal(plain.status, 404);
    const kubectl = await b.kubectl(['get', 'gizmos']);
    assert.equal(kubectl.code, 1);
    assert.equal(kubectl.stderr, 'error: the server doesn\'t have a resource type "gizmos"\n');
  });

  it('an unsupported media type is 415', async () => {
    const r = await b.api('POST', SA, 'x', { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal(r.json.reason, 'UnsupportedMediaType');
    const patch = await b.api('PATCH', `${SA}/default`, '{}', { 'Content-Type': 'application/json' });
    assert.equal(patch.status, 415);
  });

  it('methods a path does not take are MethodNotAllowed', async () => {
    const put = await b.api('PUT', SA, sa('x'));
    assert.deepEqual(status(put), { reason: 'MethodNotAllowed', code: 405, message: 'the server does not allow this method on the requested resource' });
    const post = await b.api('POST', '/api/v1/serviceaccounts', sa('x'));
    assert.equal(post.status, 405);
  });

  it('generateName makes a unique name', async () => {
    const r = await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { generateName: 'gen-' } }));
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('a stale resourceVersion is a Conflict with the exact message', async () => {
    const created = await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cas' } }));
    const stale = created.json;
    const first = await b.api('PUT', `${SA}/cas`, JSON.stringify({ ...stale, metadata: { ...stale.metadata, labels: { a: '1' } } }));
    assert.equal(first.status, 200);
    const second = await b.api('PUT', `${SA}/cas`, JSON.stringify({ ...stale, metadata: { ...stale.metadata, labels: { a: '2' } } }));
    assert.deepEqual(status(second), {
      reason: 'Conflict',
      code: 409,
      message: 'Operation cannot be fulfilled on serviceaccounts "cas": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('delete preconditions that do not hold are a Conflict', async () => {
    await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'pre' } }));
    const r = await b.api('DELETE', `${SA}/pre`, JSON.stringify({ preconditions: { uid: 'nope' } }));
    assert.equal(r.status, 409);
    assert.match(r.json.message, /^Operation cannot be fulfilled on serviceaccounts "pre": Precondition failed: UID in precondition: nope, UID in object meta: [0-9a-f-]+$/);
  });

  it('an invalid propagationPolicy is Invalid', async () => {
    await b.api('POST', SA, JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prop' } }));
    const r = await b.api('DELETE', `${SA}/prop`, JSON.stringify({ propagationPolicy: 'Sideways' }));
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'DeleteOptions.meta.k8s.io "prop" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"');
  });

  it('content in a namespace that does not exist is NotFound', async () => {
    const r = await b.api('POST', '/api/v1/namespaces/nope/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x' } }));
    assert.deepEqual(status(r), { reason: 'NotFound', code: 404, message: 'namespaces "nope" not found' });
  });

  it('the system namespaces cannot be deleted', async () => {
    const r = await b.kubectl(['delete', 'namespace', 'default']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n');
  });

  it('a bad credential is Unauthorized; none at all is the anonymous user', async () => {
    const get = (headers: Record<string, string>) => b.get('/api/v1/namespaces', headers);
    const bad = await get({ Authorization: 'Bearer not-a-token' });
    assert.equal(bad.status, 401);
    assert.equal(bad.text, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n');
    const anonymous = await get({});
    assert.equal(anonymous.status, 403);
    assert.equal(anonymous.json.message, 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope');
  });

  it('is still serving, with its data intact', async () => {
    const r = await b.kubectl(['get', 'sa', 'cas', '-o', 'jsonpath={.metadata.labels.a}']);
    assert.equal(r.stdout, '1');
  });
});

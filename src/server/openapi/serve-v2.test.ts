import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { allResources } from '../../registry/resources/index.js';
import { notAcceptable, serveOpenApiV2, v2Form } from './serve-v2.js';
import { openApiV2, type OpenApiV2 } from './v2-thread.js';

const KUBECTL = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const PROTO = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

describe('/openapi/v2 content negotiation (kube-openapi handler, goautoneg)', () => {
  it('picks the form from the first acceptable clause', () => {
    assert.equal(v2Form(KUBECTL), 'proto', 'what client-go asks for');
    assert.equal(v2Form(PROTO), 'proto');
    assert.equal(v2Form('application/json'), 'json');
    assert.equal(v2Form(undefined), 'json');
    assert.equal(v2Form('*/*'), 'json');
    assert.equal(v2Form('application/*'), 'json');
    assert.equal(v2Form(`application/json;q=0.5, ${KUBECTL}`), 'proto', 'higher q first');
    assert.equal(v2Form(`*/*, ${PROTO}`), 'proto', 'more specific first');
    assert.equal(v2Form('text/html'), undefined);
    assert.equal(v2Form('application/com.github.proto-openapi.spec.v3.v1.0+protobuf'), undefined);
    assert.deepEqual(notAcceptable, { status: 406, headers: { 'Cache-Control': 'no-cache, private', Vary: 'Accept', 'Content-Length': '0' }, body: '' });
  });
});

describe('/openapi/v2 serving', () => {
  const doc: OpenApiV2 = { json: '{"swagger":"2.0"}', proto: Uint8Array.of(10, 3, 50, 46, 48), etag: 'ABC', lastModified: new Date('2025-03-01T10:00:00Z') };

  it('serves both forms with the Etag of the JSON', () => {
    const json = serveOpenApiV2(doc, 'json', { method: 'GET', headers: {} });
    assert.equal(json.status, 200);
    assert.equal(json.body, doc.json);
    assert.deepEqual(json.headers, {
      'Cache-Control': 'no-cache, private',
      Vary: 'Accept',
      Etag: '"ABC"',
      'Accept-Ranges': 'bytes',
      'Content-Length': '17',
      'Content-Type': 'application/json',
      'Last-Modified': 'Sat, 01 Mar 2025 10:00:00 GMT',
    });
    const proto = serveOpenApiV2(doc, 'proto', { method: 'GET', headers: {} });
    assert.equal(proto.body, doc.proto);
    assert.equal(proto.headers['Content-Type'], PROTO);
    assert.equal(proto.headers['Content-Length'], '5');
    assert.equal(proto.headers.Etag, '"ABC"');
    assert.equal(serveOpenApiV2(doc, 'proto', { method: 'HEAD', headers: {} }).body, '');
  });

  it('answers a current copy with 304', () => {
    for (const inm of ['"ABC"', 'W/"ABC"', '"X", "ABC"', '*']) {
      const r = serveOpenApiV2(doc, 'proto', { method: 'GET', headers: { 'if-none-match': inm } });
      assert.equal(r.status, 304, inm);
      assert.equal(r.body, '');
      assert.deepEqual(r.headers, { 'Cache-Control': 'no-cache, private', Vary: 'Accept', Etag: '"ABC"' });
    }
    assert.equal(serveOpenApiV2(doc, 'json', { method: 'GET', headers: { 'if-none-match': '"OLD"' } }).status, 200);
    assert.equal(serveOpenApiV2(doc, 'json', { method: 'GET', headers: { 'if-modified-since': 'Sat, 01 Mar 2025 10:00:00 GMT' } }).status, 304);
  });
});

describe('/openapi/v2 built in a worker thread', () => {
  it('builds once, JSON and protobuf, with the sha512 of the JSON as Etag', async () => {
    const unused = {} as never;
    const defs = allResources({ tokenRequest: unused, tokenAuthenticator: unused, authorizer: unused, rbac: unused });
    const get = openApiV2(() => defs);
    const [a, b] = await Promise.all([get(), get()]);
    assert.equal(a, b);
    assert.equal(JSON.parse(a.json).swagger, '2.0');
    assert.equal(a.etag, createHash('sha512').update(a.json).digest('hex').toUpperCase());
    assert.ok(a.proto.byteLength > 100_000);
    assert.equal(await get(), a);
  });
});

// Clients that connect and send nothing, trickle their headers or body, or crowd the server: they
// are cut off in time, refused past the in-flight limits, and never lock out the admin.
import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { request } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { Badge } from '../e2e/harness.js';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, startTightBadge } from './tight-server.js';

/** Resolves when the server closes the socket, with the bytes it sent. */
const closedByServer = (s: Socket) =>
  new Promise<string>((resolve) => {
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
  });

describe('hardening: connections (issue 9.6, 9.5)', () => {
  let b: Badge;
  let token: string;
  const host = () => ({ host: '127.0.0.1', port: b.server.port });
  /** A TLS connection, as the admin (client certificate) when `admin`. */
  const tls = (admin = false): Promise<TLSSocket> =>
    new Promise((resolve, reject) => {
      const cert = admin ? { cert: b.server.pki.admin.cert, key: b.server.pki.admin.key } : {};
      const s = tlsConnect({ ...host(), ca: b.server.pki.ca.cert, servername: 'localhost', ...cert }, () => resolve(s));
      s.on('error', reject);
    });

  before(async () => {
    ({ b, token } = await startTightBadge());
  });
  after(() => b?.close());

  it('a connection that never starts TLS is closed after the header timeout', async () => {
    const s = tcpConnect(host());
    const t0 = Date.now();
    await closedByServer(s);
    assert.ok(Date.now() - t0 < HEADERS_TIMEOUT_MS * 4, `closed after ${Date.now() - t0} ms`);
  });

  it('a TLS connection that sends no request, or trickles its headers, is closed', async () => {
    const idle = await tls();
    const trickling = await tls();
    trickling.write('GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n');
    const timer = setInterval(() => trickling.writable && trickling.write('X-A: b\r\n'), 200);
    const t0 = Date.now();
    await Promise.all([closedByServer(idle), closedByServer(trickling)]);
    clearInterval(timer);
    assert.ok(Date.now() - t0 < HEADERS_TIMEOUT_MS * 4, `closed after ${Date.now() - t0} ms`);
  });

  it('a body that never ends is a 504 Timeout at the request timeout', async () => {
    const s = await tls(true);
    const reply = closedByServer(s);
    s.write(`POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":`);
    const timer = setInterval(() => s.writable && s.write(' '), 200);
    const t0 = Date.now();
    const text = await Promise.race([reply, new Promise<string>((r) => setTimeout(() => r(''), REQUEST_TIMEOUT_MS * 3))]);
    clearInterval(timer);
    s.destroy();
    assert.match(text, /^HTTP\/1\.1 504 /, text);
    assert.ok(text.includes('"message":"Timeout: request did not complete within requested timeout - context deadline exceeded","reason":"Timeout","details":{},"code":504'), text);
    assert.ok(Date.now() - t0 >= REQUEST_TIMEOUT_MS - 100);
  });

  it('?timeout= shortens the deadline; a malformed one is a 400', async () => {
    const bad = await b.api('GET', '/api/v1/namespaces?timeout=abc');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'invalid timeout specified in the request URL - time: invalid duration "abc"');
    assert.equal((await b.api('GET', '/api/v1/namespaces?timeout=10s')).status, 200);
  });

  it('past the in-flight limit a request is a 429 with Retry-After; system:masters is still served', async () => {
    // Three writes (the admin's) whose bodies never finish hold the three mutating slots.
    const holders = await Promise.all([1, 2, 3].map(() => tls(true)));
    for (const s of holders) {
      s.on('error', () => undefined);
      s.write('POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{');
    }
    await new Promise((r) => setTimeout(r, 200));
    const refused = await new Promise<{ status: number; retry?: string; body: string }>((resolve, reject) => {
      const req = request({ ...host(), path: '/api/v1/namespaces/default/configmaps', method: 'POST', ca: b.server.pki.ca.cert, servername: 'localhost', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retry: res.headers['retry-after'] as string | undefined, body }));
      });
      req.on('error', reject);
      req.end('{}');
    });
    assert.deepEqual(refused, { status: 429, retry: '1', body: 'Too many requests, please try again later.\n' });
    const admin = await b.api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'admin-wins' } }));
    assert.equal(admin.status, 201, admin.text);
    // Reads have slots of their own, and watches take none.
    assert.equal((await b.asBearer(token, '/api/v1/namespaces/default/configmaps')).status, 403);
    for (const s of holders) s.destroy();
  });

  it('a thousand idle connections do not lock out the admin', async () => {
    const idle: Socket[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = tcpConnect(host());
      s.on('error', () => undefined);
      idle.push(s);
    }
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    assert.equal((await b.api('GET', '/api/v1/namespaces/default')).status, 200);
    assert.ok(Date.now() - t0 < 1000, `answered in ${Date.now() - t0} ms`);
    const closed = await Promise.all(idle.map((s) => closedByServer(s).then(() => true)));
    assert.equal(closed.length, 1000, 'every idle connection was closed by the server');
  });
});

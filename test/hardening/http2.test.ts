// Crafted HTTP/2 traffic: too many streams at once, a rapid-reset burst (CVE-2023-44487), huge
// header lists, CONTINUATION, SETTINGS and PING floods, connections that send no request or never
// close, bodies that never end or are too large, the in-flight limits. None stops the server,
// which answers /readyz afterwards.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect as h2, type ClientHttp2Session } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { eventually } from '../../src/testing/eventually.js';
import type { Badge } from '../e2e/harness.js';
import { errorCode, ERROR, FLAG, frame, FRAME, h2Connect, headerBlock, request, rstStream, type H2Connection } from './h2-wire.js';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, startTightBadge } from './tight-server.js';

describe('hardening: HTTP/2 (issue 11)', () => {
  let b: Badge;
  let token: string;
  const admin = () => ({ ca: b.server.pki.ca.cert, cert: b.server.pki.admin.cert, key: b.server.pki.admin.key });
  const connect = () => h2Connect(b.server.port, admin());
  /** The first HEADERS or RST_STREAM frame the server sends on `stream`. */
  const answer = (c: H2Connection, stream: number, ms?: number) => c.waitFor((f) => f.stream === stream && (f.type === FRAME.HEADERS || f.type === FRAME.RST_STREAM), ms);
  const goaway = (c: H2Connection) => c.frames.find((f) => f.type === FRAME.GOAWAY);

  /** A request over a new Node HTTP/2 session; resolves with the status. */
  async function status(path: string, opts: { headers?: Record<string, string>; ms?: number; body?: string; session?: ClientHttp2Session } = {}): Promise<number> {
    const session = opts.session ?? h2(b.server.url, { ca: b.server.pki.ca.cert });
    try {
      return await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${path} in ${opts.ms ?? 1000} ms`)), opts.ms ?? 1000);
        const req = session.request({ ':path': path, ...(opts.body !== undefined ? { ':method': 'POST', 'content-type': 'application/json' } : {}), ...opts.headers });
        req.on('response', (h) => {
          clearTimeout(timer);
          req.close();
          resolve(Number(h[':status']));
        });
        req.on('error', reject);
        req.end(opts.body);
      });
    } finally {
      if (!opts.session) session.destroy();
    }
  }
  const readyz = () => status('/readyz');

  before(async () => {
    ({ b, token } = await startTightBadge());
  });
  after(() => b?.close());

  it('streams past 100 at once on a connection are refused; the first 100 are served', async () => {
    // Watches stay open, so each holds its stream.
    const watches = Array.from({ length: 110 }, (_, i) => request(2 * i + 1, '/api/v1/namespaces?watch=true'));
    // Sent before the client has acknowledged the limit (it may not know it yet): REFUSED_STREAM,
    // which clients retry.
    const early = await h2Connect(b.server.port, admin(), watches);
    const answers = await Promise.all(Array.from({ length: 110 }, (_, i) => answer(early, 2 * i + 1)));
    const refused = answers.filter((f) => f.type === FRAME.RST_STREAM);
    assert.equal(answers.length - refused.length, 100);
    assert.deepEqual(new Set(refused.map(errorCode)), new Set([ERROR.REFUSED_STREAM]));
    assert.deepEqual(refused.map((f) => f.stream), Array.from({ length: 10 }, (_, i) => 201 + 2 * i));
    early.socket.destroy();
    // Sent after: the client knew better, and loses the connection.
    const late = await connect();
    late.write(...watches);
    await Promise.race([late.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), 3000))]);
    assert.ok(late.frames.filter((f) => f.type === FRAME.HEADERS).length <= 100);
    assert.equal(await readyz(), 200);
  });

  it('a rapid-reset burst (requests cancelled as soon as sent) ends in GOAWAY; the server answers meanwhile', async () => {
    const burst: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) burst.push(request(2 * i + 1, '/api/v1/namespaces/default/configmaps'), rstStream(2 * i + 1, ERROR.CANCEL));
    // Made first: a connection that sends no request within the headers timeout is closed.
    const c = await connect();
    c.write(...burst);
    assert.equal(await readyz(), 200);
    const away = await c.waitFor((f) => f.type === FRAME.GOAWAY);
    // nghttp2's reset limit (a bucket of 1000, then 33 a second) ends the session with
    // INTERNAL_ERROR, long before the 20,000 streams are served.
    assert.equal(errorCode(away), 2);
    assert.ok(away.payload.readUInt32BE(0) < 2 * 2000, `last stream ${away.payload.readUInt32BE(0)}`);
    c.socket.destroy();
    assert.equal(await readyz(), 200);
  });

  it("a header list over kube-apiserver's 1 MiB has its stream reset; 1,000 headers or one of 60 KB are served", async () => {
    const big = Array.from({ length: 18 }, (_, i): [string, string] => [`x-big${i}`, 'a'.repeat(60_000)]);
    const over = await connect();
    over.write(request(1, '/readyz', { extra: big }));
    const f = await answer(over, 1);
    assert.deepEqual([f.type, errorCode(f)], [FRAME.RST_STREAM, ERROR.ENHANCE_YOUR_CALM]);
    over.socket.destroy();
    const c = await connect();
    const many = Array.from({ length: 1000 }, (_, i): [string, string] => [`x-h${i}`, 'v']);
    c.write(request(1, '/readyz', { extra: many }), request(3, '/readyz', { extra: [['x-fits', 'a'.repeat(60_000)]] }));
    for (const s of [1, 3]) assert.equal((await answer(c, s)).type, FRAME.HEADERS);
    c.socket.destroy();
    assert.equal(await readyz(), 200);
  });

  it('CONTINUATION, SETTINGS and PING floods close the connection', async () => {
    const open = frame(FRAME.HEADERS, 0, 1, headerBlock([[':method', 'GET'], [':scheme', 'https'], [':path', '/readyz'], [':authority', 'x']]));
    const floods: [string, Buffer[]][] = [
      ['CONTINUATION', [open, ...Array.from({ length: 10_000 }, () => frame(FRAME.CONTINUATION, 0, 1))]],
      ['SETTINGS', Array.from({ length: 20_000 }, () => frame(FRAME.SETTINGS, 0, 0))],
      ['PING', Array.from({ length: 20_000 }, () => frame(FRAME.PING, 0, 0, Buffer.alloc(8)))],
    ];
    for (const [name, frames] of floods) {
      const c = await connect();
      c.write(...frames);
      const closed = await Promise.race([c.closed.then(() => true), new Promise((r) => setTimeout(r, 3000, false))]);
      assert.ok(closed, `${name} flood: still open; GOAWAY ${goaway(c) && errorCode(goaway(c)!)}`);
      assert.equal(await readyz(), 200);
    }
  });

  it('a connection that sends no request, or trickles its first headers, is closed after the header timeout', async () => {
    const silent = await new Promise<TLSSocket>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port: b.server.port, servername: 'localhost', ALPNProtocols: ['h2'], ca: b.server.pki.ca.cert }, () => resolve(s));
    });
    assert.equal(silent.alpnProtocol, 'h2');
    silent.resume();
    const prefaceOnly = await connect();
    const trickling = await connect();
    trickling.write(frame(FRAME.HEADERS, 0, 1, headerBlock([[':method', 'GET'], [':scheme', 'https']])));
    const timer = setInterval(() => trickling.write(frame(FRAME.CONTINUATION, 0, 1, headerBlock([['x-a', 'b']]))), 200);
    const t0 = Date.now();
    await Promise.all([new Promise((r) => silent.once('close', r)), prefaceOnly.closed, trickling.closed]);
    clearInterval(timer);
    assert.ok(Date.now() - t0 < HEADERS_TIMEOUT_MS * 3, `closed after ${Date.now() - t0} ms`);
    assert.equal(goaway(prefaceOnly) && errorCode(goaway(prefaceOnly)!), ERROR.NO_ERROR);
  });

  it('a client that sends GOAWAY, then neither reads nor closes, does not keep its connections open on the server', async () => {
    // The server runs in this process: each connection is two descriptors here until the server closes its side.
    const descriptors = () => readdirSync('/proc/self/fd').length;
    const before = descriptors();
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect()));
    for (const c of clients) {
      c.write(frame(FRAME.GOAWAY, 0, 0, Buffer.alloc(8)));
      c.socket.pause();
    }
    await eventually(() => descriptors() <= before + clients.length, 'the server closing its sides', 5000);
    for (const c of clients) c.socket.destroy();
  });

  it('a body that never ends is a 504 at the request timeout, then its stream is reset', async () => {
    const c = await connect();
    const t0 = Date.now();
    c.write(request(1, '/api/v1/namespaces/default/configmaps', { method: 'POST', body: true, extra: [['content-type', 'application/json']] }), frame(FRAME.DATA, 0, 1, Buffer.from('{"a":')));
    const timer = setInterval(() => c.write(frame(FRAME.DATA, 0, 1, Buffer.from(' '))), 200);
    const reply = await answer(c, 1, REQUEST_TIMEOUT_MS * 3);
    assert.equal(reply.type, FRAME.HEADERS);
    assert.ok(Date.now() - t0 >= REQUEST_TIMEOUT_MS - 100, `answered after ${Date.now() - t0} ms`);
    const data = await c.waitFor((f) => f.stream === 1 && f.type === FRAME.DATA && f.payload.length > 0);
    assert.match(data.payload.toString(), /"reason":"Timeout".*"code":504/);
    const reset = await c.waitFor((f) => f.stream === 1 && f.type === FRAME.RST_STREAM, REQUEST_TIMEOUT_MS * 3);
    clearInterval(timer);
    assert.equal(errorCode(reset), ERROR.CANCEL);
    assert.ok(Date.now() - t0 >= REQUEST_TIMEOUT_MS + HEADERS_TIMEOUT_MS - 100);
    c.socket.destroy();
  });

  it('a body over 3 MiB, declared or sent, is a 413 Status; the connection goes on', async () => {
    const session = h2(b.server.url, admin());
    try {
      const body = JSON.stringify({ metadata: { name: 'huge' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } });
      const path = '/api/v1/namespaces/default/configmaps';
      assert.equal(await status(path, { body, session, ms: 5000 }), 413);
      assert.equal(await status(path, { body, session, ms: 5000, headers: { 'content-length': String(body.length) } }), 413);
      assert.equal(await status('/readyz', { session }), 200);
    } finally {
      session.destroy();
    }
  });

  it('past the in-flight limit a stream gets 429; system:masters is still served', async () => {
    // Three writes (the admin's) whose bodies never finish hold the three mutating slots.
    const holder = await connect();
    for (const s of [1, 3, 5]) holder.write(request(s, '/api/v1/namespaces/default/configmaps', { method: 'POST', body: true }), frame(FRAME.DATA, 0, s, Buffer.from('{')));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await status('/api/v1/namespaces/default/configmaps', { body: '{}', headers: { authorization: `Bearer ${token}` } }), 429);
    const session = h2(b.server.url, admin());
    try {
      assert.equal(await status('/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ metadata: { name: 'admin-wins' } }), session }), 201);
    } finally {
      session.destroy();
    }
    holder.socket.destroy();
  });

  it('the connection window is sized for 100 streams of 256 KiB, as kube-apiserver sizes it', async () => {
    const c = await connect();
    const settings = c.frames.find((f) => f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK))!;
    const values = new Map<number, number>();
    for (let i = 0; i < settings.payload.length; i += 6) values.set(settings.payload.readUInt16BE(i), settings.payload.readUInt32BE(i + 2));
    // SETTINGS_MAX_CONCURRENT_STREAMS, SETTINGS_INITIAL_WINDOW_SIZE, SETTINGS_MAX_FRAME_SIZE
    assert.deepEqual([values.get(3), values.get(4), values.get(5)], [100, 256 * 1024, 256 * 1024]);
    const update = await c.waitFor((f) => f.type === FRAME.WINDOW_UPDATE && f.stream === 0);
    assert.equal(65_535 + update.payload.readUInt32BE(0), 100 * 256 * 1024);
    c.socket.destroy();
  });
});

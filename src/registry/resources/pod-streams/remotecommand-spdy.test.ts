// The SPDY handshake of exec and attach as the kubelet answers it, and the stream creation
// timeout: a client that does not open every stream it asked for is cut off.
import assert from 'node:assert/strict';
import { createServer, ServerResponse, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { deflateSync, constants } from 'node:zlib';
import { openSpdySession } from './remotecommand-spdy.js';
import type { Session } from './remotecommand.js';
import { SPDY_DICTIONARY } from './spdy/dictionary.js';
import { synStreamFrame } from './spdy/frames.js';
import { encodeHeaders } from './spdy/header-block.js';

describe('remote command over SPDY: handshake and stream creation timeout', () => {
  let server: Server;
  let port: number;
  const sessions: (Session | undefined)[] = [];

  before(async () => {
    server = createServer();
    server.on('upgrade', (req, socket: Socket, head: Buffer) => {
      const res = new ServerResponse(req);
      res.assignSocket(socket);
      res.once('finish', () => socket.end());
      void openSpdySession({ req, res, socket, head }, { stdin: false, stdout: true, stderr: false, tty: false }, { creationMs: 300 }).then((s) => sessions.push(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());

  /** Sends an upgrade request; resolves with everything the server sent until it closed. */
  function request(headers: string, then?: (s: Socket) => void): Promise<{ text: string; ms: number }> {
    return new Promise((resolve) => {
      const s = connect(port, '127.0.0.1');
      const t0 = Date.now();
      let text = '';
      s.on('data', (d) => {
        text += d.toString('latin1');
        if (then && text.includes('\r\n\r\n')) {
          then(s);
          then = undefined;
        }
      });
      s.on('close', () => resolve({ text, ms: Date.now() - t0 }));
      s.write(`POST /exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n${headers}\r\n`);
    });
  }

  it('without X-Stream-Protocol-Version: 400; with none in common: 403 and the accepted versions', async () => {
    const missing = await request('');
    assert.match(missing.text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.ok(missing.text.endsWith('\r\n\r\nunable to upgrade: X-Stream-Protocol-Version is required\n'), missing.text);
    const none = await request('X-Stream-Protocol-Version: v9.channel.k8s.io\r\n');
    assert.match(none.text, /^HTTP\/1\.1 403 Forbidden\r\n/);
    // One header line per version, as Go's Header.Add writes them.
    const accepted = none.text.split('\r\n').filter((l) => l.startsWith('X-Accepted-Stream-Protocol-Versions: '));
    assert.deepEqual(accepted.map((l) => l.split(': ')[1]), ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
    const message = 'unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], server accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]\n';
    assert.ok(none.text.endsWith(`\r\n\r\n${message}${message}`), none.text);
  });

  it('the 101 names the protocol; a client that opens only some of the streams is cut off after the timeout', async () => {
    const before = sessions.length;
    const r = await request('X-Stream-Protocol-Version: v3.channel.k8s.io, v4.channel.k8s.io\r\n', (s) => {
      const block = deflateSync(encodeHeaders(new Map([['streamtype', ['error']]])), { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
      s.write(synStreamFrame(1, 0, block));
    });
    assert.match(r.text, /^HTTP\/1\.1 101 Switching Protocols\r\nConnection: Upgrade\r\nDate: .*\r\nUpgrade: SPDY\/3\.1\r\nX-Stream-Protocol-Version: v3\.channel\.k8s\.io\r\n\r\n/);
    assert.ok(r.ms >= 250 && r.ms < 5000, `closed after ${r.ms} ms`);
    await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(sessions.slice(before), [undefined]);
  });
});

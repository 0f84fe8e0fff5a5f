// The remote command WebSocket protocols against a fake exec: what client-go's v5 and v4 clients
// and the kubelet's older protocols expect on the wire.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { exitCodeStatus, successStatus, type StreamOptions } from './remotecommand.js';
import { openWebSocketSession as openSession } from './remotecommand-websocket.js';

interface Frame {
  channel: number;
  data: string;
}

describe('remote command over WebSockets', () => {
  let server: Server;
  let port: number;
  const seen: { resize: { width: number; height: number }[] } = { resize: [] };

  before(async () => {
    server = createServer((_req, res) => res.end());
    server.on('upgrade', async (req, socket: Socket, head) => {
      const q = new URL(req.url!, 'http://x').searchParams;
      const opts: StreamOptions = { stdin: q.get('stdin') === '1', stdout: q.get('stdout') === '1', stderr: q.get('stderr') === '1', tty: q.get('tty') === '1' };
      const session = await openSession(req, socket, head, opts);
      if (!session) return;
      const { stdin, stdout, stderr, resize } = session.streams;
      resize?.on('resize', (s) => seen.resize.push(s));
      let input = '';
      if (stdin) {
        stdin.on('data', (d) => (input += d));
        await new Promise((r) => stdin.on('end', r));
      }
      stdout?.write(`out:${input}`);
      stderr?.write('err');
      const code = Number(q.get('exit') ?? 0);
      await session.finish(code ? exitCodeStatus(code) : successStatus());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  /** Connects, sends `send` (then the v5 CLOSE of stdin), collects frames until the server closes. */
  function session(query: string, protocols: string[], send: (ws: WebSocket) => void): Promise<{ protocol: string; frames: Frame[]; close: number }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/exec?${query}`, protocols);
      const frames: Frame[] = [];
      ws.on('open', () => send(ws));
      ws.on('message', (raw: Buffer, binary) => {
        if (binary) frames.push({ channel: raw[0]!, data: raw.subarray(1).toString() });
        else frames.push({ channel: raw.toString().charCodeAt(0) - 48, data: Buffer.from(raw.toString().slice(1), 'base64').toString() });
      });
      ws.on('close', (close) => resolve({ protocol: ws.protocol, frames, close }));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  it('v5: an empty first message, stdin until CLOSE, output, the Status, a normal close', async () => {
    const r = await session('stdin=1&stdout=1&stderr=1&exit=3', ['v5.channel.k8s.io'], (ws) => {
      ws.send(Buffer.from([0, ...Buffer.from('hello')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.equal(r.protocol, 'v5.channel.k8s.io');
    assert.equal(r.close, 1000);
    assert.deepEqual(r.frames.slice(0, 3), [
      { channel: 1, data: '' },
      { channel: 1, data: 'out:hello' },
      { channel: 2, data: 'err' },
    ]);
    assert.deepEqual(JSON.parse(r.frames[3]!.data), {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: command terminated with exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    assert.equal(r.frames[3]!.channel, 3);
  });

  it('v5 with a terminal: no stderr channel, resize messages', async () => {
    seen.resize = [];
    const r = await session('stdin=1&stdout=1&stderr=1&tty=1', ['v5.channel.k8s.io'], (ws) => {
      ws.send(Buffer.from([4, ...Buffer.from('{"Width":120,"Height":40}')]));
      ws.send(Buffer.from([4, ...Buffer.from('{"Width":100,"Height":30}{"Width":90,')]));
      ws.send(Buffer.from([4, ...Buffer.from('"Height":20}')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.deepEqual(seen.resize, [
      { width: 120, height: 40 },
      { width: 100, height: 30 },
      { width: 90, height: 20 },
    ]);
    assert.deepEqual(r.frames.map((f) => f.channel), [1, 1, 3]);
    assert.equal(r.frames[2]!.data, '{"metadata":{},"status":"Success"}');
  });

  it('v4.base64: text messages, base64 data', async () => {
    const r = await session('stdout=1&stderr=1', ['v4.base64.channel.k8s.io'], () => {});
    assert.equal(r.protocol, 'v4.base64.channel.k8s.io');
    assert.deepEqual(r.frames, [
      { channel: 1, data: '' },
      { channel: 1, data: 'out:' },
      { channel: 2, data: 'err' },
      { channel: 3, data: '{"metadata":{},"status":"Success"}' },
    ]);
  });

  it('channel.k8s.io (v1): a failure as text, nothing for success', async () => {
    const fail = await session('stderr=1&exit=2', ['channel.k8s.io'], () => {});
    assert.deepEqual(fail.frames, [
      { channel: 2, data: '' },
      { channel: 2, data: 'err' },
      { channel: 3, data: 'command terminated with non-zero exit code: command terminated with exit code 2' },
    ]);
    const ok = await session('stdout=1', [], () => {});
    assert.equal(ok.protocol, '');
    assert.deepEqual(ok.frames.map((f) => f.channel), [1, 1]);
  });

  it('the client picks among the protocols in its order; v5 when offered', async () => {
    assert.equal((await session('stdout=1', ['v4.channel.k8s.io', 'channel.k8s.io'], () => {})).protocol, 'v4.channel.k8s.io');
    assert.equal((await session('stdout=1', ['channel.k8s.io', 'v5.channel.k8s.io'], () => {})).protocol, 'v5.channel.k8s.io');
    await assert.rejects(session('stdout=1', ['v9.channel.k8s.io'], () => {}), /status 403/);
  });
});

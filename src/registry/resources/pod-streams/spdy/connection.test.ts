// The server side of a SPDY connection against a client that frames as client-go does: streams
// opened and replied to, data both ways with FIN, PINGs echoed, refused and invalid streams reset,
// Close (RST_STREAM for each stream, GOAWAY), and the limits.
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { constants, createDeflate } from 'node:zlib';
import { SpdyConnection, type SpdyStream } from './connection.js';
import { SPDY_DICTIONARY } from './dictionary.js';
import { CANCEL, dataFrame, FLAG_FIN, FrameReader, GOAWAY, parseStreamHeaders, parseWords, PING, pingFrame, PROTOCOL_ERROR, REFUSED_STREAM, RST_STREAM, SYN_REPLY, synStreamFrame, type Frame } from './frames.js';
import { decodeHeaders, encodeHeaders, HeaderInflater } from './header-block.js';

/** A socket pair: the server's end runs a SpdyConnection, the test writes and reads the other. */
async function pair(onStream: (s: SpdyStream) => boolean, opts: { maxStreams?: number } = {}) {
  let conn!: SpdyConnection;
  const server = createServer((s) => (conn = new SpdyConnection(s, Buffer.alloc(0), { onStream, idleTimeoutMs: 10_000, ...opts })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client: Socket = connect((server.address() as { port: number }).port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  await new Promise((r) => setTimeout(r, 20));
  const reader = new FrameReader(1 << 24);
  const frames: Frame[] = [];
  client.on('data', (d) => frames.push(...reader.push(d)));
  const z = createDeflate({ dictionary: SPDY_DICTIONARY });
  const deflate = (headers: Map<string, string[]>) =>
    new Promise<Buffer>((resolve) => {
      const out: Buffer[] = [];
      const onData = (c: Buffer) => out.push(c);
      z.on('data', onData);
      z.write(encodeHeaders(headers));
      z.flush(constants.Z_SYNC_FLUSH, () => {
        z.off('data', onData);
        resolve(Buffer.concat(out));
      });
    });
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(pred(), `frames so far: ${JSON.stringify(frames.map((f) => (f.control ? `control ${f.type}` : `data ${f.streamId} ${f.data}`)))}`);
  };
  return {
    conn: () => conn,
    client,
    frames,
    until,
    open: async (id: number, headers: Record<string, string>) => client.write(synStreamFrame(id, 0, await deflate(new Map(Object.entries(headers).map(([k, v]) => [k, [v]]))))),
    close: () => {
      client.destroy();
      server.close();
    },
  };
}

const control = (f: Frame, type: number) => f.control && f.type === type;

describe('SPDY connection (server side)', () => {
  it('replies to an accepted stream before its data, carries data both ways, FIN each way', async () => {
    let stream!: SpdyStream;
    const p = await pair((s) => {
      stream = s;
      s.write('early');
      return true;
    });
    await p.open(1, { streamtype: 'stdout' });
    await p.until(() => p.frames.length >= 2);
    assert.equal(stream.header('streamType'), 'stdout');
    assert.ok(control(p.frames[0]!, SYN_REPLY));
    const inflater = new HeaderInflater(1024);
    assert.equal(decodeHeaders(await inflater.inflate(parseStreamHeaders(p.frames[0] as Frame & { control: true }).headerBlock)).size, 0);
    assert.deepEqual(p.frames[1], { control: false, streamId: 1, flags: 0, data: Buffer.from('early') });
    let got = '';
    stream.on('data', (d) => (got += d));
    const ended = new Promise((r) => stream.once('end', r));
    p.client.write(dataFrame(1, 0, Buffer.from('from client')));
    p.client.write(dataFrame(1, FLAG_FIN, Buffer.alloc(0)));
    await ended;
    assert.equal(got, 'from client');
    stream.end();
    await p.until(() => p.frames.some((f) => !f.control && f.flags === FLAG_FIN));
    p.close();
  });

  it("echoes the client's PINGs; resets refused streams, invalid IDs and streams past the limit", async () => {
    const p = await pair((s) => s.header('streamType') !== 'nope', { maxStreams: 2 });
    p.client.write(pingFrame(5));
    await p.open(1, { streamtype: 'nope' });
    await p.open(3, { streamtype: 'a' });
    await p.open(3, { streamtype: 'b' }); // not increasing
    await p.open(4, { streamtype: 'c' }); // even: the server's
    await p.open(5, { streamtype: 'd' });
    await p.open(7, { streamtype: 'e' }); // a third open stream
    await p.until(() => p.frames.filter((f) => control(f, RST_STREAM)).length === 4);
    const resets = p.frames.filter((f) => control(f, RST_STREAM)).map((f) => parseWords(f as Frame & { control: true }, 2).join(':'));
    assert.deepEqual(resets, [`1:${REFUSED_STREAM}`, `3:${PROTOCOL_ERROR}`, `4:${PROTOCOL_ERROR}`, `7:${REFUSED_STREAM}`]);
    assert.ok(p.frames.some((f) => control(f, PING) && parseWords(f as Frame & { control: true }, 1)[0] === 5));
    assert.equal(p.frames.filter((f) => control(f, SYN_REPLY)).length, 2);
    p.close();
  });

  it('Close resets every stream and says GOAWAY; the connection ends', async () => {
    const p = await pair(() => true);
    await p.open(1, { streamtype: 'error' });
    await p.until(() => p.frames.some((f) => control(f, SYN_REPLY)));
    p.conn().close();
    await p.until(() => p.frames.some((f) => control(f, GOAWAY)));
    const rst = p.frames.find((f) => control(f, RST_STREAM)) as Frame & { control: true };
    assert.deepEqual(parseWords(rst, 2), [1, CANCEL]);
    const away = p.frames.find((f) => control(f, GOAWAY)) as Frame & { control: true };
    assert.deepEqual(parseWords(away, 2), [1, 0]);
    await p.conn().closed;
    p.close();
  });

  it('a malformed frame ends the connection with GOAWAY (protocol error)', async () => {
    const p = await pair(() => true);
    // A control frame of SPDY version 2.
    p.client.write(Buffer.from([0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]));
    await p.until(() => p.frames.some((f) => control(f, GOAWAY)));
    assert.deepEqual(parseWords(p.frames.at(-1) as Frame & { control: true }, 2), [0, 1]);
    await p.conn().closed;
    p.close();
  });
});

// SPDY peers that misbehave after the upgrade of a pods/exec: a malformed frame, a frame longer
// than the limit, a header block that inflates to megabytes, a flood of PINGs nobody reads the
// answers to, and streams opened without end. Each connection is ended or held back; the server
// answers other requests meanwhile.
import assert from 'node:assert/strict';
import { connect, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { constants, deflateSync } from 'node:zlib';
import { SPDY_DICTIONARY } from '../../src/registry/resources/pod-streams/spdy/dictionary.js';
import { FrameReader, GOAWAY, parseWords, pingFrame, RST_STREAM, synStreamFrame, type Frame } from '../../src/registry/resources/pod-streams/spdy/frames.js';
import { encodeHeaders } from '../../src/registry/resources/pod-streams/spdy/header-block.js';
import { startBadge, type Badge } from '../e2e/harness.js';

describe('hardening: SPDY connections', { timeout: 120_000 }, () => {
  let b: Badge;

  before(async () => {
    b = await startBadge();
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sim\nspec:\n  containers:\n  - name: main\n    image: busybox\n';
    assert.equal((await b.kubectl(['apply', '-f', '-'], { stdin: pod })).code, 0);
  });
  after(() => b?.close());

  /** An upgraded exec (stdout and the error stream wanted), with the frames the server sends. */
  async function upgraded(): Promise<{ s: TLSSocket; frames: Frame[]; closed: Promise<void> }> {
    const s: TLSSocket = await new Promise((resolve, reject) => {
      const t = connect({ host: '127.0.0.1', port: b.server.port, ca: b.server.pki.ca.cert, cert: b.server.pki.admin.cert, key: b.server.pki.admin.key, servername: 'localhost' }, () => resolve(t));
      t.on('error', reject);
    });
    s.on('error', () => undefined);
    s.write(
      'POST /api/v1/namespaces/default/pods/sim/exec?command=true&stdout=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n',
    );
    const frames: Frame[] = [];
    const reader = new FrameReader(1 << 24);
    let head = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        head += d.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        s.off('data', onData);
        if (!head.startsWith('HTTP/1.1 101 ')) return reject(new Error(head));
        frames.push(...reader.push(Buffer.from(head.slice(end + 4), 'latin1')));
        s.on('data', (c: Buffer) => frames.push(...reader.push(c)));
        resolve();
      };
      s.on('data', onData);
    });
    const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));
    return { s, frames, closed };
  }

  /** The server answers a request promptly. */
  async function responsive(): Promise<void> {
    const t0 = Date.now();
    const r = await b.api('GET', '/readyz');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 1000, `/readyz took ${Date.now() - t0} ms`);
  }

  const goAwayStatus = (frames: Frame[]) => {
    const f = frames.find((x) => x.control && x.type === GOAWAY);
    return f && f.control ? parseWords(f, 2)[1] : undefined;
  };

  it('a malformed frame: GOAWAY with a protocol error, the connection ends', async () => {
    const c = await upgraded();
    c.s.write(Buffer.from([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 1, 2, 3])); // RST_STREAM of 3 bytes
    await c.closed;
    assert.equal(goAwayStatus(c.frames), 1);
    await responsive();
  });

  it('a frame longer than the limit is refused before it is read', async () => {
    const c = await upgraded();
    c.s.write(Buffer.from([0x00, 0x00, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff]));
    await c.closed;
    assert.equal(goAwayStatus(c.frames), 1);
    await responsive();
  });

  it('a header block that inflates to 64 MiB ends the connection at the limit', async () => {
    const c = await upgraded();
    const block = deflateSync(encodeHeaders(new Map([['streamtype', ['\0'.repeat(64 * 1024 * 1024)]]])), { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    assert.ok(block.length < 100 * 1024);
    const rss = process.memoryUsage().rss;
    c.s.write(synStreamFrame(1, 0, block));
    await c.closed;
    assert.equal(goAwayStatus(c.frames), 1);
    assert.ok(process.memoryUsage().rss - rss < 48 * 1024 * 1024, 'the block was not inflated whole');
    await responsive();
  });

  it('a flood of PINGs whose answers are not read: reading pauses, other requests are answered', async () => {
    const c = await upgraded();
    c.s.pause();
    const ping = pingFrame(1);
    const flood = Buffer.concat(Array.from({ length: 20_000 }, () => ping));
    for (let i = 0; i < 20; i++) c.s.write(flood); // 400,000 PINGs, 4.8 MB
    await new Promise((r) => setTimeout(r, 500));
    await responsive();
    c.s.destroy();
  });

  it('streams opened without end are refused one by one; the session still starts', async () => {
    const c = await upgraded();
    // One zlib stream for the connection, flushed per block, as client-go's.
    const compress = storedBlocks();
    let id = 1;
    const open = (type: string) => synStreamFrame(id, 0, compress(encodeHeaders(new Map([['streamtype', [type]]]))));
    for (let i = 0; i < 3000; i++, id += 2) c.s.write(open('nope'));
    await responsive();
    for (const t of ['error', 'stdout']) {
      c.s.write(open(t));
      id += 2;
    }
    // The simulated runtime answers the exec on the error stream, then Close: RST and GOAWAY.
    await c.closed;
    const refused = c.frames.filter((f) => f.control && f.type === RST_STREAM && parseWords(f, 2)[1] === 3).length;
    assert.ok(refused >= 3000, `${refused} refused`);
    assert.equal(goAwayStatus(c.frames), 0);
  });
});

/** A zlib stream with the SPDY dictionary whose blocks are stored ones, each ending as a sync flush. */
function storedBlocks(): (block: Buffer) => Buffer {
  let started = false;
  return (block) => {
    const parts: Buffer[] = [];
    if (!started) {
      started = true;
      // The zlib header naming the dictionary (and an empty sync-flushed block).
      parts.push(deflateSync(Buffer.alloc(0), { dictionary: SPDY_DICTIONARY, level: 0, finishFlush: constants.Z_SYNC_FLUSH }));
    }
    const head = Buffer.alloc(5);
    head.writeUInt16LE(block.length, 1);
    head.writeUInt16LE(~block.length & 0xffff, 3);
    parts.push(head, block, Buffer.from([0, 0, 0, 0xff, 0xff]));
    return Buffer.concat(parts);
  };
}

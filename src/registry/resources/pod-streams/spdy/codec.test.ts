// The SPDY codec against what real clients send: header blocks kubectl 1.27 wrote (its first two
// SYN_STREAMs of an exec, captured from the wire), the dictionary its zlib stream names, and
// Node's own zlib (a compressor flushed after every block, as Go's framer does).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constants, createDeflate, createInflate } from 'node:zlib';
import { SPDY_DICTIONARY } from './dictionary.js';
import { dataFrame, FrameError, FrameReader, goAwayFrame, parseSynStream, parseWords, pingFrame, rstStreamFrame, synStreamFrame } from './frames.js';
import { decodeHeaders, encodeHeaders, HeaderDeflater, HeaderInflater } from './header-block.js';

/** kubectl 1.27's header blocks for its `error` and `stdout` streams, one zlib stream. */
const KUBECTL_ERROR = Buffer.from('78f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff', 'hex');
const KUBECTL_STDOUT = Buffer.from('c22ac5565c92925f5a02000000ffff', 'hex');

/** A compressor as Go's framer runs one: the SPDY dictionary, a sync flush after every block. */
function goLikeDeflater() {
  const z = createDeflate({ dictionary: SPDY_DICTIONARY });
  return (block: Buffer) =>
    new Promise<Buffer>((resolve) => {
      const out: Buffer[] = [];
      const onData = (c: Buffer) => out.push(c);
      z.on('data', onData);
      z.write(block);
      z.flush(constants.Z_SYNC_FLUSH, () => {
        z.off('data', onData);
        resolve(Buffer.concat(out));
      });
    });
}

describe('SPDY header blocks', () => {
  it('the dictionary is the one kubectl names (1423 bytes, Adler-32 e3c6a7c2 in its zlib header)', () => {
    assert.equal(SPDY_DICTIONARY.length, 1423);
    assert.equal(KUBECTL_ERROR.subarray(2, 6).toString('hex'), 'e3c6a7c2');
  });

  it("inflates kubectl's blocks in order, the second referring back to the first", async () => {
    const inflater = new HeaderInflater(1024);
    assert.deepEqual(decodeHeaders(await inflater.inflate(KUBECTL_ERROR)), new Map([['streamtype', ['error']]]));
    assert.deepEqual(decodeHeaders(await inflater.inflate(KUBECTL_STDOUT)), new Map([['streamtype', ['stdout']]]));
  });

  it('inflates many blocks of a Go-like compressor, values with NUL-separated parts', async () => {
    const deflate = goLikeDeflater();
    const inflater = new HeaderInflater(64 * 1024);
    for (let i = 0; i < 50; i++) {
      const headers = new Map([
        ['streamtype', [i % 2 ? 'data' : 'error']],
        ['port', [String(8000 + i)]],
        ['requestid', [String(i)]],
        ['multi', ['a', 'b']],
      ]);
      assert.deepEqual(decodeHeaders(await inflater.inflate(await deflate(encodeHeaders(headers)))), headers);
    }
  });

  it('refuses a block that inflates past its limit, and every block after', async () => {
    const deflate = goLikeDeflater();
    const inflater = new HeaderInflater(64 * 1024);
    const bomb = await deflate(encodeHeaders(new Map([['x', ['\0'.repeat(8 * 1024 * 1024)]]])));
    assert.ok(bomb.length < 16 * 1024, `${bomb.length} bytes compressed`);
    await assert.rejects(inflater.inflate(bomb), (err: unknown) => err instanceof FrameError && /more than 65536 bytes/.test(err.message));
    await assert.rejects(inflater.inflate(await deflate(encodeHeaders(new Map()))), FrameError);
  });

  it('refuses garbage, a count of pairs the block cannot hold, upper-case and repeated names', async () => {
    await assert.rejects(new HeaderInflater(1024).inflate(Buffer.from('not zlib at all')), FrameError);
    assert.throws(() => decodeHeaders(Buffer.from([0xff, 0xff, 0xff, 0xff])), /truncated/);
    assert.throws(() => decodeHeaders(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61])), /truncated/);
    assert.throws(() => decodeHeaders(encodeHeaders(new Map([['a', ['1']]])).fill(0x41, 8, 9)), /not lowercased/);
    const twice = Buffer.concat([Buffer.from([0, 0, 0, 2]), encodeHeaders(new Map([['a', ['1']]])).subarray(4), encodeHeaders(new Map([['a', ['2']]])).subarray(4)]);
    assert.throws(() => decodeHeaders(twice), /multiple headers/);
  });

  it("this side's blocks are a zlib stream with the dictionary that any inflater reads across frames", async () => {
    const deflater = new HeaderDeflater();
    const first = deflater.compress(encodeHeaders(new Map()));
    // The zlib header names the SPDY dictionary, as kubectl's does.
    assert.equal(first.subarray(2, 6).toString('hex'), 'e3c6a7c2');
    // Each block ends as a sync flush does (Go's inflater hands out data only there).
    assert.equal(first.subarray(-4).toString('hex'), '0000ffff');
    const z = createInflate({ dictionary: SPDY_DICTIONARY });
    const out: Buffer[] = [];
    z.on('data', (c: Buffer) => out.push(c));
    const big = new Map([['v', ['y'.repeat(70_000)]]]);
    for (const block of [first, deflater.compress(encodeHeaders(new Map([['a', ['b']]]))), deflater.compress(encodeHeaders(big))]) {
      z.write(block);
      await new Promise<void>((r) => z.flush(constants.Z_SYNC_FLUSH, () => r()));
    }
    const all = Buffer.concat(out);
    assert.deepEqual(all.subarray(0, 4), Buffer.alloc(4));
    assert.deepEqual(decodeHeaders(all.subarray(4, 18)), new Map([['a', ['b']]]));
    assert.deepEqual(decodeHeaders(all.subarray(18)), big);
  });
});

describe('SPDY frames', () => {
  it('cuts a byte stream into frames wherever it is split', () => {
    const bytes = Buffer.concat([synStreamFrame(1, 0, Buffer.from('hdr')), dataFrame(1, 1, Buffer.from('hello')), pingFrame(7), rstStreamFrame(3, 5), goAwayFrame(9, 0)]);
    for (const size of [1, 3, 8, 13, bytes.length]) {
      const reader = new FrameReader(1024);
      const frames = [];
      for (let at = 0; at < bytes.length; at += size) frames.push(...reader.push(bytes.subarray(at, at + size)));
      assert.equal(frames.length, 5);
      const [syn, data, ping, rst, away] = frames;
      assert.ok(syn!.control && syn.type === 1 && syn.version === 3);
      assert.deepEqual(parseSynStream(syn), { streamId: 1, headerBlock: Buffer.from('hdr') });
      assert.deepEqual(data, { control: false, streamId: 1, flags: 1, data: Buffer.from('hello') });
      assert.ok(ping!.control && parseWords(ping, 1)[0] === 7);
      assert.ok(rst!.control && parseWords(rst, 2).join() === '3,5');
      assert.ok(away!.control && parseWords(away, 2).join() === '9,0');
    }
  });

  it('refuses a frame longer than its limit before buffering it, and control frames of the wrong size', () => {
    const reader = new FrameReader(100);
    assert.throws(() => reader.push(dataFrame(1, 0, Buffer.alloc(101)).subarray(0, 8)), FrameError);
    const [ping] = new FrameReader(100).push(Buffer.concat([pingFrame(1).subarray(0, 7), Buffer.from([5, 1, 2, 3, 4, 5])]));
    assert.ok(ping?.control);
    assert.throws(() => parseWords(ping, 1), FrameError);
    assert.throws(() => parseSynStream({ control: true, version: 3, type: 1, flags: 0, payload: Buffer.alloc(9) }), FrameError);
  });
});

// SPDY/3 header blocks (draft 3.1, section 2.6.10): the number of pairs, then each name and value
// with its length (4 bytes big-endian each); several values of one name are joined by NUL bytes.
// Each direction of a connection compresses its blocks as one zlib stream, flushed after every
// block, with the SPDY dictionary.
import { constants, createInflate, type Inflate } from 'node:zlib';
import { SPDY_DICTIONARY } from './dictionary.js';
import { FrameError } from './frames.js';

/** Header names (lower case, as SPDY sends them) and their values. */
export type Headers = Map<string, string[]>;

export function encodeHeaders(headers: Headers): Buffer {
  const parts: Buffer[] = [u32(headers.size)];
  for (const [name, values] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Reads a block as Go's framer does: names must be lower case and appear once. */
export function decodeHeaders(block: Buffer): Headers {
  const headers: Headers = new Map();
  let at = 0;
  const need = (n: number) => {
    if (at + n > block.length) throw new FrameError('header block truncated');
  };
  const read = () => {
    need(4);
    const len = block.readUInt32BE(at);
    at += 4;
    need(len);
    const s = block.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  need(4);
  const count = block.readUInt32BE(0);
  at = 4;
  // Each pair takes at least 8 bytes: a count beyond that is a lie, refused before looping on it.
  if (count > (block.length - 4) / 8) throw new FrameError('header block truncated');
  for (let i = 0; i < count; i++) {
    const name = read();
    const value = read();
    if (name !== name.toLowerCase()) throw new FrameError('header was not lowercased');
    if (headers.has(name)) throw new FrameError('multiple headers with same name');
    headers.set(name, value.split('\0'));
  }
  return headers;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * This side's zlib stream. Badge's header blocks are a few bytes (a SYN_REPLY's is empty), so
 * they go as stored (uncompressed) deflate blocks: a valid zlib stream any inflater reads, made
 * without keeping a compressor's state. The header names the SPDY dictionary, as the spec asks.
 * Each block ends as a sync flush does, with an empty stored block: Go's inflater hands out what
 * it has only there, and otherwise reads on for the next block header, past the frame.
 */
export class HeaderDeflater {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32 KiB window), FLG 0x20 (FDICT; 0x7820 is a multiple of 31), DICTID.
      parts.push(Buffer.from([0x78, 0x20]), u32(adler32(SPDY_DICTIONARY)));
    }
    for (let at = 0; at === 0 || at < block.length; at += 0xffff) {
      const piece = block.subarray(at, at + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0; // BFINAL 0, BTYPE 00 (stored), padded to the byte
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
    }
    parts.push(Buffer.from([0, 0, 0, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/**
 * The peer's zlib stream. Every block is inflated in order (a refused stream's too: the next
 * block may refer back to it), and at most `limit` bytes come out of one block: a small block
 * that inflates to megabytes is refused before they are made.
 */
export class HeaderInflater {
  private readonly z: Inflate = createInflate({ dictionary: SPDY_DICTIONARY });
  private failed: Error | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly limit: number) {
    this.z.on('error', (err) => (this.failed = err));
  }

  inflate(block: Buffer): Promise<Buffer> {
    const next = this.chain.then(() => this.inflateOne(block));
    this.chain = next.catch(() => {});
    return next;
  }

  private inflateOne(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(new FrameError(`header block: ${this.failed.message}`));
      const out: Buffer[] = [];
      let size = 0;
      let over = false;
      const drain = () => {
        let c: Buffer | null;
        while (!over && (c = this.z.read() as Buffer | null) !== null) {
          size += c.length;
          if (size > this.limit) over = true;
          else out.push(c);
        }
        if (over) {
          this.failed = new Error(`inflates to more than ${this.limit} bytes`);
          finish();
        }
      };
      const finish = () => {
        this.z.off('readable', drain);
        this.z.off('error', onError);
        if (this.failed) {
          this.z.destroy();
          reject(new FrameError(`header block: ${this.failed.message}`));
        } else resolve(Buffer.concat(out));
      };
      const onError = () => finish();
      this.z.on('readable', drain);
      this.z.once('error', onError);
      this.z.write(block);
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        if (this.z.destroyed || over) return;
        drain();
        if (!over) finish();
      });
    });
  }

  destroy(): void {
    this.z.destroy();
  }
}

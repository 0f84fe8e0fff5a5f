// A raw HTTP/2 client for the hardening tests: it writes whatever frames a test asks for (Node's
// own client keeps to the server's limits, an attacker does not) and records the frames it gets.
import { connect, type TLSSocket } from 'node:tls';

export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4 } as const;
export const ERROR = { NO_ERROR: 0, CANCEL: 8, REFUSED_STREAM: 7, ENHANCE_YOUR_CALM: 11 } as const;

export interface Frame {
  type: number;
  flags: number;
  stream: number;
  payload: Buffer;
}

export function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK integer with an n-bit prefix (RFC 7541 §5.1). */
function integer(value: number, prefixBits: number, first = 0): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([first | value]);
  const bytes = [first | max];
  for (value -= max; value >= 128; value >>= 7) bytes.push((value & 127) | 128);
  bytes.push(value);
  return Buffer.from(bytes);
}

/** A header block of literals without indexing and without Huffman coding (RFC 7541 §6.2.2). */
export function headerBlock(headers: [string, string][]): Buffer {
  return Buffer.concat(headers.flatMap(([name, value]) => [Buffer.from([0]), integer(name.length, 7), Buffer.from(name), integer(Buffer.byteLength(value), 7), Buffer.from(value)]));
}

/** The largest frame Badge accepts (its SETTINGS_MAX_FRAME_SIZE, kube-apiserver's 256 KiB). */
const FRAME_SIZE = 256 * 1024;

/**
 * The HEADERS frame of a request (a GET unless `method` says; END_STREAM unless a body follows),
 * and CONTINUATION frames after it when its header block does not fit in one frame.
 */
export function request(stream: number, path: string, opts: { method?: string; body?: boolean; extra?: [string, string][] } = {}): Buffer {
  const block = headerBlock([[':method', opts.method ?? 'GET'], [':scheme', 'https'], [':authority', 'localhost'], [':path', path], ...(opts.extra ?? [])]);
  const parts = Array.from({ length: Math.ceil(block.length / FRAME_SIZE) }, (_, i) => block.subarray(i * FRAME_SIZE, (i + 1) * FRAME_SIZE));
  const last = parts.length - 1;
  return Buffer.concat(parts.map((part, i) => frame(i === 0 ? FRAME.HEADERS : FRAME.CONTINUATION, (i === last ? FLAG.END_HEADERS : 0) | (i === 0 && !opts.body ? FLAG.END_STREAM : 0), stream, part)));
}

export const rstStream = (stream: number, code: number) => frame(FRAME.RST_STREAM, 0, stream, Buffer.from([0, 0, 0, code]));

export interface H2Connection {
  socket: TLSSocket;
  frames: Frame[];
  closed: Promise<void>;
  write(...frames: Buffer[]): void;
  /** Waits until a received frame matches. */
  waitFor(pred: (f: Frame) => boolean, ms?: number): Promise<Frame>;
}

/**
 * A TLS connection with ALPN h2 that has sent the preface, an empty SETTINGS frame and `early`,
 * and has acknowledged the server's SETTINGS (which take effect then: the limits, the larger
 * frames it allows).
 */
export function h2Connect(port: number, tls: { ca: string; cert?: string; key?: string }, early: Buffer[] = []): Promise<H2Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ALPNProtocols: ['h2'], ...tls }, () => {
      if (socket.alpnProtocol !== 'h2') return reject(new Error(`ALPN chose ${socket.alpnProtocol}`));
      socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(FRAME.SETTINGS, 0, 0), ...early]));
      conn.waitFor((f) => f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK)).then(() => resolve(conn), reject);
    });
    const frames: Frame[] = [];
    const waiters = new Set<() => void>();
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 9 && buf.length >= 9 + buf.readUIntBE(0, 3)) {
        const length = buf.readUIntBE(0, 3);
        const f = { type: buf[3]!, flags: buf[4]!, stream: buf.readUInt32BE(5) & 0x7fffffff, payload: buf.subarray(9, 9 + length) };
        buf = buf.subarray(9 + length);
        // The server's SETTINGS are acknowledged, as every client must.
        if (f.type === FRAME.SETTINGS && !(f.flags & FLAG.ACK)) socket.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
        frames.push(f);
      }
      for (const w of waiters) w();
    });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    closed.then(() => waiters.forEach((w) => w()));
    socket.once('error', reject);
    const conn: H2Connection = {
      socket,
      frames,
      closed,
      write: (...fs) => void (socket.writable && socket.write(Buffer.concat(fs))),
      waitFor(pred, ms = 5000) {
        return new Promise((ok, fail) => {
          const check = () => {
            const f = frames.find(pred);
            if (f) done(() => ok(f));
            else if (socket.destroyed) done(() => fail(new Error(`closed; frames: ${describe(frames)}`)));
          };
          const timer = setTimeout(() => done(() => fail(new Error(`timed out; frames: ${describe(frames)}`))), ms);
          const done = (f: () => void) => {
            clearTimeout(timer);
            waiters.delete(check);
            f();
          };
          waiters.add(check);
          check();
        });
      },
    };
  });
}

const describe = (fs: Frame[]) =>
  fs
    .slice(-20)
    .map((f) => `${f.type}/${f.flags}/${f.stream}`)
    .join(' ');

/** The error code of a RST_STREAM or GOAWAY frame. */
export const errorCode = (f: Frame) => f.payload.readUInt32BE(f.type === FRAME.GOAWAY ? 4 : 0);

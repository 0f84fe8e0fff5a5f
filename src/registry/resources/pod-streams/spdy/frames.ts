// SPDY/3.1 framing (draft 3.1, section 2.2): what Go's moby/spdystream writes and reads. A control
// frame is 0x80 0x03 (control bit, version 3), its type (2 bytes), flags (1 byte), the length of
// what follows (3 bytes); a data frame is its stream ID (31 bits), flags, length, data. All
// numbers are big-endian.

export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes. */
export const PROTOCOL_ERROR = 1;
export const REFUSED_STREAM = 3;
export const CANCEL = 5;

/** GOAWAY status codes. */
export const GOAWAY_OK = 0;
export const GOAWAY_PROTOCOL_ERROR = 1;

const HEADER = 8;
/** The largest length a frame can state (24 bits). */
export const MAX_FRAME_LENGTH = 0xffffff;

export interface DataFrame {
  control: false;
  streamId: number;
  flags: number;
  data: Buffer;
}

export interface ControlFrame {
  control: true;
  version: number;
  type: number;
  flags: number;
  payload: Buffer;
}

export type Frame = DataFrame | ControlFrame;

/** A frame this side cannot make sense of: the connection ends with a protocol error. */
export class FrameError extends Error {}

/**
 * Cuts a byte stream into frames. A frame longer than `maxLength` is refused before it is
 * buffered, so a peer cannot make the reader hold more than that.
 */
export class FrameReader {
  private buffered: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxLength: number) {}

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): Frame[] {
    if (chunk.length) {
      this.buffered.push(chunk);
      this.size += chunk.length;
    }
    const frames: Frame[] = [];
    while (this.size >= HEADER) {
      const head = this.peek(HEADER);
      const length = head.readUIntBE(5, 3);
      if (length > this.maxLength) throw new FrameError(`frame of ${length} bytes is larger than ${this.maxLength}`);
      if (this.size < HEADER + length) break;
      const bytes = this.take(HEADER + length);
      const flags = bytes[4]!;
      const payload = bytes.subarray(HEADER);
      if (bytes[0]! & 0x80) {
        frames.push({ control: true, version: bytes.readUInt16BE(0) & 0x7fff, type: bytes.readUInt16BE(2), flags, payload });
      } else {
        frames.push({ control: false, streamId: bytes.readUInt32BE(0) & 0x7fffffff, flags, data: payload });
      }
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.buffered[0]!.length < n) this.buffered = [Buffer.concat(this.buffered)];
    return this.buffered[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.buffered[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.buffered.shift();
      else this.buffered[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.buffered);
      out = all.subarray(0, n);
      this.buffered = all.length > n ? [all.subarray(n)] : [];
    }
    this.size -= n;
    return out;
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  const b = Buffer.alloc(HEADER + payload.length);
  b.writeUInt16BE(0x8003, 0);
  b.writeUInt16BE(type, 2);
  b[4] = flags;
  b.writeUIntBE(payload.length, 5, 3);
  payload.copy(b, HEADER);
  return b;
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const b = Buffer.alloc(HEADER + data.length);
  b.writeUInt32BE(streamId & 0x7fffffff, 0);
  b[4] = flags;
  b.writeUIntBE(data.length, 5, 3);
  data.copy(b, HEADER);
  return b;
}

export function synStreamFrame(streamId: number, flags: number, headerBlock: Buffer): Buffer {
  // Associated-To-Stream-ID 0, priority 0, slot 0.
  return control(SYN_STREAM, flags, Buffer.concat([words(streamId, 0), Buffer.alloc(2), headerBlock]));
}

export function synReplyFrame(streamId: number, flags: number, headerBlock: Buffer): Buffer {
  return control(SYN_REPLY, flags, Buffer.concat([words(streamId), headerBlock]));
}

export const rstStreamFrame = (streamId: number, status: number): Buffer => control(RST_STREAM, 0, words(streamId, status));
export const pingFrame = (id: number): Buffer => control(PING, 0, words(id));
export const goAwayFrame = (lastGoodStreamId: number, status: number): Buffer => control(GOAWAY, 0, words(lastGoodStreamId, status));

/** The parts of a SYN_STREAM. */
export function parseSynStream(f: ControlFrame): { streamId: number; headerBlock: Buffer } {
  if (f.payload.length < 10) throw new FrameError('SYN_STREAM frame too short');
  return { streamId: f.payload.readUInt32BE(0) & 0x7fffffff, headerBlock: f.payload.subarray(10) };
}

/** SYN_REPLY and HEADERS: a stream ID and a header block. */
export function parseStreamHeaders(f: ControlFrame): { streamId: number; headerBlock: Buffer } {
  if (f.payload.length < 4) throw new FrameError('frame too short for a stream ID');
  return { streamId: f.payload.readUInt32BE(0) & 0x7fffffff, headerBlock: f.payload.subarray(4) };
}

/** RST_STREAM, GOAWAY and WINDOW_UPDATE: two 32-bit words; PING: one. */
export function parseWords(f: ControlFrame, n: number): number[] {
  if (f.payload.length !== n * 4) throw new FrameError(`control frame ${f.type} must be ${n * 4} bytes, not ${f.payload.length}`);
  return Array.from({ length: n }, (_, i) => f.payload.readUInt32BE(i * 4));
}

// The server side of a SPDY/3.1 connection, as the kubelet's streaming server runs it over an
// upgraded HTTP/1.1 connection (k8s.io/apimachinery httpstream/spdy over moby/spdystream): the
// client opens every stream (SYN_STREAM, with headers such as streamType), the server accepts
// one with an empty SYN_REPLY or refuses it with RST_STREAM; DATA flows both ways until each
// side sends FIN; PINGs from the client come back; Close resets the streams and says GOAWAY.
// Like spdystream, no flow control: the peers never send WINDOW_UPDATE, so windows are not kept;
// TCP's backpressure stands in (reading pauses while a stream's reader or the socket is behind).
//
// Bounded whatever the peer sends: frames longer than `maxFrameLength`, header blocks inflating
// past `maxHeaderBytes`, more than `maxStreams` open streams (refused), a write buffer past
// WRITE_HIGH_WATER (reading pauses), no frame either way for `idleTimeoutMs` (closed).
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  CANCEL,
  dataFrame,
  FLAG_FIN,
  FrameError,
  FrameReader,
  GOAWAY,
  goAwayFrame,
  GOAWAY_OK,
  GOAWAY_PROTOCOL_ERROR,
  HEADERS,
  parseStreamHeaders,
  parseSynStream,
  parseWords,
  PING,
  pingFrame,
  PROTOCOL_ERROR,
  REFUSED_STREAM,
  RST_STREAM,
  rstStreamFrame,
  SYN_REPLY,
  SYN_STREAM,
  synReplyFrame,
  type ControlFrame,
  type Frame,
} from './frames.js';
import { decodeHeaders, encodeHeaders, HeaderDeflater, HeaderInflater, type Headers } from './header-block.js';

export interface SpdyConnectionOptions {
  /**
   * A stream the client opened: true accepts it (the SYN_REPLY goes before anything written to
   * it), false refuses it (RST_STREAM).
   */
  onStream(stream: SpdyStream): boolean;
  /** No frame either way for this long closes the connection (the kubelet's idle timeout). */
  idleTimeoutMs: number;
  maxStreams?: number;
  maxFrameLength?: number;
  maxHeaderBytes?: number;
}

/** Frames beyond spdystream's writes (io.Copy hands it 32 KiB at a time) are refused. */
const MAX_FRAME_LENGTH = 1024 * 1024;
const MAX_HEADER_BYTES = 256 * 1024;
const MAX_STREAMS = 1000;
/** Data frames this side writes are cut to this size. */
const WRITE_CHUNK = 32 * 1024;
/** Reading pauses while this much is waiting to be written to the peer. */
const WRITE_HIGH_WATER = 1024 * 1024;
/** Frames read but not handled yet (a header block being inflated holds the rest back). */
const MAX_QUEUED = 256;
/** How long the peer has to close once this side has said GOAWAY. */
const CLOSE_GRACE_MS = 5000;

export class SpdyConnection extends EventEmitter {
  /** Resolves when the connection has ended, whoever ended it. */
  readonly closed: Promise<void>;
  private readonly reader: FrameReader;
  private readonly inflater: HeaderInflater;
  private readonly deflater = new HeaderDeflater();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly queue: Frame[] = [];
  private readonly blocked = new Set<SpdyStream>();
  private readonly drainWaiters: (() => void)[] = [];
  private handling = false;
  private lastStreamId = 0;
  private goneAway = false;
  private ended = false;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Duplex,
    head: Buffer,
    private readonly opts: SpdyConnectionOptions,
  ) {
    super();
    this.reader = new FrameReader(opts.maxFrameLength ?? MAX_FRAME_LENGTH);
    this.inflater = new HeaderInflater(opts.maxHeaderBytes ?? MAX_HEADER_BYTES);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.onClose());
    socket.on('drain', () => this.onDrain());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.touch();
    if (head.length) this.onData(head);
  }

  /** The kubelet's Close: every stream reset, GOAWAY, then the connection ends. */
  close(): void {
    if (this.ended) return;
    for (const s of [...this.streams.values()]) s.reset(CANCEL);
    this.goAway(GOAWAY_OK);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private goAway(status: number): void {
    if (!this.goneAway) {
      this.goneAway = true;
      this.write(goAwayFrame(this.lastStreamId, status));
    }
    this.ended = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Writes a frame; false when the socket's buffer is past its high-water mark. */
  write(frame: Buffer): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return true;
    this.touch();
    this.socket.write(frame);
    return this.socket.writableLength < WRITE_HIGH_WATER;
  }

  /** Resolves once the socket has taken what was written (or is gone). */
  whenDrained(): Promise<void> {
    if (this.socket.destroyed || this.socket.writableLength < WRITE_HIGH_WATER) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private touch(): void {
    if (this.idle) this.idle.refresh();
    else {
      this.idle = setTimeout(() => this.socket.destroy(), this.opts.idleTimeoutMs);
      this.idle.unref();
    }
  }

  private onDrain(): void {
    for (const w of this.drainWaiters.splice(0)) w();
    this.flowControl();
  }

  private onClose(): void {
    this.ended = true;
    if (this.idle) clearTimeout(this.idle);
    this.inflater.destroy();
    for (const w of this.drainWaiters.splice(0)) w();
    for (const s of [...this.streams.values()]) s.gone();
    this.streams.clear();
    this.queue.length = 0;
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    this.touch();
    try {
      this.queue.push(...this.reader.push(chunk));
    } catch (err) {
      return this.protocolError(err);
    }
    this.flowControl();
    void this.handleQueued();
  }

  /** Pauses reading while frames wait, a stream's reader is full, or writes are behind. */
  private flowControl(): void {
    const behind = this.queue.length > MAX_QUEUED || this.blocked.size > 0 || this.socket.writableLength >= WRITE_HIGH_WATER;
    if (behind) this.socket.pause();
    else if (!this.ended) this.socket.resume();
  }

  /** A frame that makes no sense (or anything else thrown while handling one) ends the connection. */
  private protocolError(_err: unknown): void {
    this.queue.length = 0;
    for (const s of [...this.streams.values()]) s.gone();
    this.streams.clear();
    this.goAway(GOAWAY_PROTOCOL_ERROR);
  }

  private async handleQueued(): Promise<void> {
    if (this.handling) return;
    this.handling = true;
    try {
      while (this.queue.length && !this.ended) {
        const f = this.queue.shift()!;
        if (f.control) await this.handleControl(f);
        else this.handleData(f.streamId, f.flags, f.data);
        this.flowControl();
      }
    } catch (err) {
      this.protocolError(err);
    } finally {
      this.handling = false;
    }
  }

  private handleData(id: number, flags: number, data: Buffer): void {
    const s = this.streams.get(id);
    if (!s) return;
    s.received(data, (flags & FLAG_FIN) !== 0);
  }

  private async handleControl(f: ControlFrame): Promise<void> {
    if (f.version !== 3) throw new FrameError(`unsupported SPDY version ${f.version}`);
    switch (f.type) {
      case SYN_STREAM: {
        const { streamId, headerBlock } = parseSynStream(f);
        // Inflated whatever becomes of the stream: the zlib stream runs on.
        const headers = decodeHeaders(await this.inflater.inflate(headerBlock));
        return this.openStream(streamId, f.flags, headers);
      }
      case SYN_REPLY:
      case HEADERS:
        // This side opens no streams and takes no trailers; the block still feeds the zlib stream.
        await this.inflater.inflate(parseStreamHeaders(f).headerBlock);
        return;
      case RST_STREAM: {
        const [id] = parseWords(f, 2);
        this.streams.get(id! & 0x7fffffff)?.gone();
        return;
      }
      case PING: {
        const [id] = parseWords(f, 1);
        // Odd IDs are the client's: they come back. (This side sends none.)
        if (id! & 1) this.write(pingFrame(id!));
        return;
      }
      case GOAWAY:
        parseWords(f, 2);
        this.goneAway = true;
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and types this side does not know: ignored, as the spec says.
        return;
    }
  }

  private openStream(id: number, flags: number, headers: Headers): void {
    // spdystream's validateStreamId: client streams are odd and increasing.
    if (id === 0 || (id & 1) === 0 || id <= this.lastStreamId) {
      this.write(rstStreamFrame(id, PROTOCOL_ERROR));
      return;
    }
    this.lastStreamId = id;
    if (this.goneAway) return;
    if (this.streams.size >= (this.opts.maxStreams ?? MAX_STREAMS)) {
      this.write(rstStreamFrame(id, REFUSED_STREAM));
      return;
    }
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    if (flags & FLAG_FIN) stream.received(Buffer.alloc(0), true);
    if (!this.opts.onStream(stream)) {
      stream.reset(REFUSED_STREAM);
      return;
    }
    this.write(synReplyFrame(id, 0, this.deflater.compress(encodeHeaders(new Map()))));
    stream.replied();
  }

  /** @internal A stream's reader is full (reading pauses) or has room again. */
  setBlocked(s: SpdyStream, blocked: boolean): void {
    if (blocked) this.blocked.add(s);
    else this.blocked.delete(s);
    this.flowControl();
  }

  /** @internal */
  forget(s: SpdyStream): void {
    this.streams.delete(s.id);
    this.blocked.delete(s);
    this.flowControl();
  }
}

/**
 * One stream: what the client sends is read from it, what is written to it goes to the client;
 * end() sends FIN (the kubelet's Close), reset() sends RST_STREAM.
 */
export class SpdyStream extends Duplex {
  private remoteDone = false;
  private localDone = false;

  constructor(
    private readonly conn: SpdyConnection,
    readonly id: number,
    readonly headers: Headers,
  ) {
    super({ allowHalfOpen: true });
    // Nothing goes out before the SYN_REPLY.
    this.cork();
  }

  /** The first value of a header (names are lower case). */
  header(name: string): string {
    return this.headers.get(name.toLowerCase())?.[0] ?? '';
  }

  /** @internal */
  replied(): void {
    this.uncork();
  }

  /** @internal Data (and FIN) from the client. */
  received(data: Buffer, fin: boolean): void {
    if (this.remoteDone) return;
    if (data.length && !this.push(data)) this.conn.setBlocked(this, true);
    if (fin) {
      this.remoteDone = true;
      this.push(null);
      this.settle();
    }
  }

  /** @internal The client reset the stream, or the connection is gone. */
  gone(): void {
    if (this.destroyed) return;
    this.remoteDone = true;
    this.localDone = true;
    this.push(null);
    this.settle();
    this.destroy();
  }

  reset(status = CANCEL): void {
    if (!this.localDone || !this.remoteDone) this.conn.write(rstStreamFrame(this.id, status));
    this.gone();
  }

  override _read(): void {
    this.conn.setBlocked(this, false);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.localDone) return cb();
    let ok = true;
    for (let at = 0; at < chunk.length; at += WRITE_CHUNK) ok = this.conn.write(dataFrame(this.id, 0, chunk.subarray(at, at + WRITE_CHUNK)));
    if (ok) cb();
    else void this.conn.whenDrained().then(() => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.localDone) {
      this.localDone = true;
      this.conn.write(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
      this.settle();
    }
    cb();
  }

  private settle(): void {
    if (this.localDone && this.remoteDone) this.conn.forget(this);
  }
}

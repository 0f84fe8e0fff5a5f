// The remote command protocol over SPDY/3.1 (exec and attach), as the kubelet's streaming server
// speaks it (pkg/kubelet/cri/streaming/remotecommand/httpstream.go): kubectl up to 1.29 and
// client-go programs use it. The client opens one stream per part of the session, named by its
// streamType header (error, stdin, stdout, stderr, and resize with a terminal from v3 on) within
// the stream creation timeout; v4.channel.k8s.io reports the end as a metav1.Status in JSON on
// the error stream, the older protocols a failure's message as text.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { endAndFlush, ResizeDecoder, type ChannelStatus, type Session, type StreamOptions } from './remotecommand.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import { HEADER_PROTOCOL_VERSION, isSpdyUpgrade, missingUpgradeHeaders, negotiate, switchToSpdy, writeRefusal } from './spdy/handshake.js';

const V4 = 'v4.channel.k8s.io';
const V3 = 'v3.channel.k8s.io';
const V2 = 'v2.channel.k8s.io';
const V1 = 'channel.k8s.io';
/** remotecommand.SupportedStreamingProtocols, in the server's order. */
const PROTOCOLS = [V4, V3, V2, V1];

/** The kubelet's defaults: DefaultStreamCreationTimeout and StreamIdleTimeout. */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;
export const STREAM_IDLE_TIMEOUT_MS = 4 * 60 * 60 * 1000;

export interface SpdyUpgrade {
  req: IncomingMessage;
  res: ServerResponse;
  socket: Socket;
  head: Buffer;
}

export interface Timeouts {
  creationMs?: number;
  idleMs?: number;
}

/**
 * Switches the request to SPDY and waits for the client's streams; undefined when the upgrade
 * was refused (the client has had its answer) or the streams did not all come in time.
 */
export async function openSpdySession(u: SpdyUpgrade, opts: StreamOptions, t: Timeouts = {}): Promise<Session | undefined> {
  const n = negotiate(u.req, PROTOCOLS);
  if ('missing' in n) {
    writeRefusal(u.res, { status: 400, body: `${n.missing}\n` });
    return undefined;
  }
  if ('refusal' in n) {
    // Handshake writes its error, then createHTTPStreamStreams writes it once more.
    writeRefusal(u.res, { ...n.refusal, body: n.refusal.body + n.refusal.body });
    return undefined;
  }
  const protocol = n.protocol;
  if (!isSpdyUpgrade(u.req)) {
    writeRefusal(u.res, { ...missingUpgradeHeaders(u.req), headers: { [HEADER_PROTOCOL_VERSION]: protocol } });
    return undefined;
  }
  if (!opts.stdin && !opts.stdout && !opts.stderr) {
    writeRefusal(u.res, { status: 400, body: 'you must specify at least 1 of stdin, stdout, stderr' });
    return undefined;
  }

  const resizable = protocol === V4 || protocol === V3;
  const wanted = new Set(['error', ...(opts.stdin ? ['stdin'] : []), ...(opts.stdout ? ['stdout'] : []), ...(opts.stderr ? ['stderr'] : []), ...(opts.tty && resizable ? ['resize'] : [])]);
  const got = new Map<string, SpdyStream>();
  let allThere!: () => void;
  const ready = new Promise<void>((resolve) => (allThere = resolve));

  u.res.detachSocket(u.socket);
  switchToSpdy(u.socket, protocol);
  const conn = new SpdyConnection(u.socket, u.head, {
    idleTimeoutMs: t.idleMs ?? STREAM_IDLE_TIMEOUT_MS,
    onStream(stream) {
      const type = stream.header('streamType');
      // Streams the session did not ask for, or a second of one kind, are refused.
      if (!wanted.has(type) || got.has(type)) return false;
      got.set(type, stream);
      if (got.size === wanted.size) allThere();
      return true;
    },
  });
  const timer = setTimeout(() => conn.destroy(), t.creationMs ?? STREAM_CREATION_TIMEOUT_MS);
  timer.unref();
  const complete = await Promise.race([ready.then(() => true), conn.closed.then(() => false)]);
  clearTimeout(timer);
  if (!complete) return undefined;

  const abort = new AbortController();
  void conn.closed.then(() => abort.abort());
  const errorStream = got.get('error')!;
  const stdin = got.get('stdin');
  const stdout = got.get('stdout');
  const stderr = got.get('stderr');
  const resize = new ResizeDecoder();
  got.get('resize')?.on('data', (d: Buffer) => resize.write(d));
  // The v1 handler closes its side of stdin at once.
  if (protocol === V1) stdin?.end();

  return {
    protocol,
    streams: { ...(stdin ? { stdin } : {}), ...(stdout ? { stdout } : {}), ...(stderr ? { stderr } : {}), tty: opts.tty, resize, signal: abort.signal },
    async finish(status: ChannelStatus) {
      // The output written so far goes first, then the end of the outputs, then the Status.
      await Promise.all([stdout, stderr].map((s) => s && endAndFlush(s, conn.closed)));
      if (protocol === V4) errorStream.write(JSON.stringify(status));
      else if (status.status !== 'Success') errorStream.write(status.message ?? '');
      await endAndFlush(errorStream, conn.closed);
      conn.close();
      // The client closes once it has read everything; one that does not is cut off.
      const cutOff = setTimeout(() => conn.destroy(), 60_000);
      cutOff.unref();
      await conn.closed;
      clearTimeout(cutOff);
    },
  };
}

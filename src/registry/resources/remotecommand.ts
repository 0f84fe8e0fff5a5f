// The remote command protocol over WebSockets (exec and attach), as kube-apiserver 1.32 speaks
// it: v5.channel.k8s.io (the stream translator kubectl talks to; adds the CLOSE signal), and the
// kubelet's protocols for other clients: v4.channel.k8s.io and v4.base64.channel.k8s.io (exit
// codes as a Status), channel.k8s.io and base64.channel.k8s.io (v1: errors as text).
//
// Every message starts with its channel: 0 stdin, 1 stdout, 2 stderr, 3 error (the Status that
// ends the session), 4 resize (`{"Width":…,"Height":…}`), and in v5 255 CLOSE (the next byte names
// the stream the peer has finished writing). The base64 protocols send text messages, the channel
// as an ASCII digit and the data base64-encoded.
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { ApiError } from '../../api/errors.js';
import type { ExecStreams } from '../../api/node-streams.js';

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
export const V4_BASE64 = 'v4.base64.channel.k8s.io';
export const V1 = 'channel.k8s.io';
export const V1_BASE64 = 'base64.channel.k8s.io';
/** The kubelet's WebSocket protocols, in no order (the client's order decides). */
const KUBELET_PROTOCOLS = [V1, V1_BASE64, V4, V4_BASE64];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A metav1.Status as the error channel carries it (Go's encoding: no kind, empty metadata). */
export interface ChannelStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
  code?: number;
}

export const successStatus = (): ChannelStatus => ({ metadata: {}, status: 'Success' });

/** What the stream translator reports for a command's non-zero exit code. */
export function exitCodeStatus(code: number): ChannelStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** An API error as a channel Status. */
export function errorStatus(err: ApiError): ChannelStatus {
  const s = err.toStatus();
  return {
    metadata: {},
    status: 'Failure',
    message: s.message,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.details ? { details: s.details } : {}),
    code: s.code,
  };
}

/** NewInternalError. */
export function internalStatus(message: string): ChannelStatus {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

/** Whether a request asks to switch to WebSockets (wsstream.IsWebSocketRequest). */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' && /(^|,\s*)upgrade($|\s*,)/i.test(String(req.headers.connection ?? ''));
}

/** The protocols a client offers, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The protocol the server picks, or undefined when it supports none of those offered. */
export function selectProtocol(offered: string[]): string | undefined {
  if (offered.includes(V5)) return V5;
  if (!offered.length) return '';
  return offered.find((p) => KUBELET_PROTOCOLS.includes(p));
}

export interface Session {
  protocol: string;
  streams: ExecStreams;
  /** Reports the Status on the error channel and closes the connection. */
  finish(status: ChannelStatus): Promise<void>;
  /** Resolves when the client has gone. */
  closed: Promise<void>;
}

let wss: WebSocketServer | undefined;

/** The WebSocket server, loaded on the first exec (most servers never need it). */
async function websockets(): Promise<WebSocketServer> {
  if (!wss) {
    const { WebSocketServer } = await import('ws');
    wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: 64 * 1024 * 1024,
      handleProtocols: (protocols) => selectProtocol([...protocols]) || false,
    });
  }
  return wss;
}

/**
 * Completes the WebSocket handshake of an upgraded request and opens the channels `opts` asks for;
 * undefined when the handshake failed (the client has had its answer).
 */
export async function openSession(req: IncomingMessage, socket: Duplex, head: Buffer, opts: StreamOptions): Promise<Session | undefined> {
  const protocol = selectProtocol(offeredProtocols(req));
  if (protocol === undefined) {
    // golang.org/x/net/websocket's answer to a failed protocol handshake.
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return undefined;
  }
  const server = await websockets();
  const ws = await new Promise<WebSocket | undefined>((resolve) => {
    const onClose = () => resolve(undefined);
    socket.once('close', onClose);
    server.handleUpgrade(req, socket, head, (client) => {
      socket.off('close', onClose);
      resolve(client);
    });
  });
  if (!ws) return undefined;
  const base64 = protocol === V1_BASE64 || protocol === V4_BASE64;
  const statusAsJson = protocol === V5 || protocol === V4 || protocol === V4_BASE64;

  const send = (channel: number, data: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (ws.readyState !== ws.OPEN) return resolve();
      const frame = base64 ? String.fromCharCode(48 + channel) + data.toString('base64') : Buffer.concat([Buffer.from([channel]), data]);
      ws.send(frame, { binary: !base64 }, () => resolve());
    });
  const channelWriter = (channel: number) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        void send(channel, chunk).then(() => cb());
      },
    });

  const abort = new AbortController();
  const stdin = opts.stdin ? new PassThrough() : undefined;
  const resize = new EventEmitter();
  let resizeText = '';
  const stdout = opts.stdout ? channelWriter(STDOUT) : undefined;
  const stderr = opts.stderr && !opts.tty ? channelWriter(STDERR) : undefined;

  ws.on('message', (raw: RawData, isBinary: boolean) => {
    let data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (!data.length) return;
    let channel = data[0]!;
    data = data.subarray(1);
    if (base64) {
      if (isBinary) return;
      channel -= 48;
      data = Buffer.from(data.toString(), 'base64');
    }
    if (channel === STDIN && stdin && !stdin.writableEnded) stdin.write(data);
    else if (channel === RESIZE && opts.tty) {
      resizeText += data.toString();
      // A stream of JSON objects, as json.Decoder reads it.
      for (;;) {
        const end = resizeText.indexOf('}');
        if (end < 0) break;
        const text = resizeText.slice(0, end + 1);
        resizeText = resizeText.slice(end + 1);
        try {
          const size = JSON.parse(text) as { Width?: number; Height?: number };
          resize.emit('resize', { width: size.Width ?? 0, height: size.Height ?? 0 });
        } catch {
          resizeText = '';
        }
      }
    } else if (channel === CLOSE && protocol === V5 && data[0] === STDIN) stdin?.end();
  });
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => {
      abort.abort();
      if (stdin && !stdin.writableEnded) stdin.end();
      resolve();
    });
  });
  ws.on('error', () => ws.terminate());

  // An empty message on the lowest writable channel tells the client the streams are ready.
  await send(opts.stdout ? STDOUT : opts.stderr ? STDERR : ERROR, Buffer.alloc(0));

  return {
    protocol,
    closed,
    streams: { ...(stdin ? { stdin } : {}), ...(stdout ? { stdout } : {}), ...(stderr ? { stderr } : {}), tty: opts.tty, resize, signal: abort.signal },
    async finish(status) {
      if (stdin && !stdin.writableEnded) stdin.end();
      if (statusAsJson) await send(ERROR, Buffer.from(JSON.stringify(status)));
      else if (status.status !== 'Success') await send(ERROR, Buffer.from(status.message ?? ''));
      if (ws.readyState === ws.OPEN) ws.close(1000);
      // The client closes once it has read everything; a client that does not is cut off.
      const timer = setTimeout(() => ws.terminate(), 60_000);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}

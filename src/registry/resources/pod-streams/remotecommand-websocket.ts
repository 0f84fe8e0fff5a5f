// The remote command protocol over WebSockets (exec and attach), as kube-apiserver 1.32 speaks
// it: v5.channel.k8s.io (the stream translator kubectl talks to; adds the CLOSE signal), and the
// kubelet's protocols for other clients: v4.channel.k8s.io and v4.base64.channel.k8s.io (exit
// codes as a Status), channel.k8s.io and base64.channel.k8s.io (v1: errors as text).
//
// Every message starts with its channel: 0 stdin, 1 stdout, 2 stderr, 3 error (the Status that
// ends the session), 4 resize (`{"Width":…,"Height":…}`), and in v5 255 CLOSE (the next byte names
// the stream the peer has finished writing). The base64 protocols send text messages, the channel
// as an ASCII digit and the data base64-encoded.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import type { RawData } from 'ws';
import { endAndFlush, ResizeDecoder, type Session, type StreamOptions } from './remotecommand.js';
import { acceptWebSocket, chooseProtocol, offeredProtocols, refuseWebSocket } from './websocket.js';

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
export const V4_BASE64 = 'v4.base64.channel.k8s.io';
export const V1 = 'channel.k8s.io';
export const V1_BASE64 = 'base64.channel.k8s.io';
/** The kubelet's WebSocket protocols, in no order (the client's order decides); '' is v1 without negotiation. */
const KUBELET_PROTOCOLS = ['', V1, V1_BASE64, V4, V4_BASE64];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

/** The protocol the server picks, or undefined when it supports none of those offered. */
export function selectProtocol(offered: string[]): string | undefined {
  // The stream translator answers v5 whatever the client's order; the kubelet's choice otherwise.
  if (offered.includes(V5)) return V5;
  return chooseProtocol(offered, KUBELET_PROTOCOLS);
}

/**
 * Completes the WebSocket handshake of an upgraded request and opens the channels `opts` asks for;
 * undefined when the handshake failed (the client has had its answer).
 */
export async function openWebSocketSession(req: IncomingMessage, socket: Duplex, head: Buffer, opts: StreamOptions): Promise<Session | undefined> {
  const protocol = selectProtocol(offeredProtocols(req));
  if (protocol === undefined) {
    refuseWebSocket(socket);
    return undefined;
  }
  const ws = await acceptWebSocket(req, socket, head, protocol);
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
  const resize = new ResizeDecoder();
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
    else if (channel === RESIZE && opts.tty) resize.write(data);
    else if (channel === CLOSE && protocol === V5 && data[0] === STDIN) stdin?.end();
  });
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => {
      abort.abort();
      if (stdin && !stdin.writableEnded) stdin.end();
      resolve();
    });
  });

  // An empty message on the lowest writable channel tells the client the streams are ready.
  await send(opts.stdout ? STDOUT : opts.stderr ? STDERR : ERROR, Buffer.alloc(0));

  return {
    protocol,
    streams: { ...(stdin ? { stdin } : {}), ...(stdout ? { stdout } : {}), ...(stderr ? { stderr } : {}), tty: opts.tty, resize, signal: abort.signal },
    async finish(status) {
      if (stdin && !stdin.writableEnded) stdin.end();
      // The output written so far goes before the Status.
      await Promise.all([stdout, stderr].map((w) => w && endAndFlush(w, closed)));
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

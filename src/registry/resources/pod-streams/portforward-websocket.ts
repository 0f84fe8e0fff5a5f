// Port forwarding over a WebSocket, as the kubelet serves it (pkg/kubelet/cri/streaming/
// portforward/websocket.go) to clients such as the Python client: the ports are named in the
// query, each has a data channel (2n, both ways) and an error channel (2n + 1, to the client),
// and the first message on each channel is the port, 2 bytes little-endian. Each port carries one
// connection; the WebSocket closes once all of them are over. Sub-protocols: v4.channel.k8s.io,
// v4.base64.channel.k8s.io (text messages, the channel as a digit, the data in base64), or none.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { RawData } from 'ws';
import type { PortForwarder } from '../../../api/node-streams.js';
import { STREAM_IDLE_TIMEOUT_MS } from './remotecommand-spdy.js';
import { acceptWebSocket, chooseProtocol, offeredProtocols, refuseWebSocket } from './websocket.js';

const BINARY = 'v4.channel.k8s.io';
const BASE64 = 'v4.base64.channel.k8s.io';

/** Serves the ports over the upgraded request until every forwarded connection has ended. */
export async function servePortForwardWebSocket(req: IncomingMessage, socket: Socket, head: Buffer, ports: number[], forward: PortForwarder, idleMs = STREAM_IDLE_TIMEOUT_MS): Promise<void> {
  const protocol = chooseProtocol(offeredProtocols(req), ['', BINARY, BASE64]);
  if (protocol === undefined) return refuseWebSocket(socket);
  const ws = await acceptWebSocket(req, socket, head, protocol);
  if (!ws) return;
  const base64 = protocol === BASE64;
  const idle = setTimeout(() => ws.terminate(), idleMs);
  idle.unref();

  const send = (channel: number, data: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (ws.readyState !== ws.OPEN) return resolve();
      idle.refresh();
      const message = base64 ? String.fromCharCode(48 + channel) + data.toString('base64') : Buffer.concat([Buffer.from([channel]), data]);
      ws.send(message, { binary: !base64 }, () => resolve());
    });

  // Reading pauses while any channel's reader is full.
  const blocked = new Set<DataChannel>();
  const setBlocked = (c: DataChannel, full: boolean) => {
    if (full) blocked.add(c);
    else blocked.delete(c);
    if (blocked.size) ws.pause();
    else ws.resume();
  };
  const channels = ports.map((_port, i) => new DataChannel((d) => send(2 * i, d), setBlocked));
  for (const [i, port] of ports.entries()) {
    const bytes = Buffer.alloc(2);
    bytes.writeUInt16LE(port);
    void send(2 * i, bytes);
    void send(2 * i + 1, bytes);
  }
  ws.on('message', (raw: RawData, isBinary: boolean) => {
    idle.refresh();
    let data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (!data.length) return;
    let channel = data[0]!;
    data = data.subarray(1);
    if (base64) {
      if (isBinary) return;
      channel -= 48;
      data = Buffer.from(data.toString(), 'base64');
    }
    // Only data channels are read; anything else is dropped, as wsstream does.
    if (channel % 2 === 0) channels[channel / 2]?.received(data);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  void closed.then(() => {
    clearTimeout(idle);
    for (const c of channels) c.gone();
  });

  await Promise.all(
    ports.map(async (port, i) => {
      try {
        await forward(port, channels[i]!);
      } catch (err) {
        await send(2 * i + 1, Buffer.from(err instanceof Error ? err.message : String(err)));
      }
    }),
  );
  if (ws.readyState === ws.OPEN) ws.close(1000);
  const cutOff = setTimeout(() => ws.terminate(), 60_000);
  cutOff.unref();
  await closed;
  clearTimeout(cutOff);
}

/** One port's data channel as a stream: the client's messages to read, writes as messages to it. */
class DataChannel extends Duplex {
  constructor(
    private readonly sendData: (d: Buffer) => Promise<void>,
    private readonly setBlocked: (c: DataChannel, full: boolean) => void,
  ) {
    super({ allowHalfOpen: true });
  }

  received(data: Buffer): void {
    if (this.readableEnded || this.destroyed) return;
    if (!this.push(data)) this.setBlocked(this, true);
  }

  gone(): void {
    if (this.destroyed) return;
    this.setBlocked(this, false);
    this.push(null);
    this.destroy();
  }

  override _read(): void {
    this.setBlocked(this, false);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    void this.sendData(chunk).then(() => cb());
  }

  // Closing a channel sends nothing (wsstream's Close only stops reading it).
  override _final(cb: (err?: Error | null) => void): void {
    cb();
  }
}

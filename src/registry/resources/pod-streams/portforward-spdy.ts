// Port forwarding over SPDY/3.1, as the kubelet's streaming server does it
// (pkg/kubelet/cri/streaming/portforward/httpstream.go): every forwarded connection is a pair of
// streams the client opens, `data` and `error`, with the same `port` and `requestID` headers;
// once both are there the connection to the port is made; what goes wrong is written as text on
// the error stream, and both streams are closed when it is over. A pair that is not complete
// within the stream creation timeout is given up. Plain SPDY (kubectl up to 1.30, client-go)
// and SPDY tunnelled through a WebSocket (kubectl 1.31 on: `SPDY/3.1+portforward.k8s.io`, as
// kube-apiserver's TunnelingHandler takes it) run the same connection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PortForwarder } from '../../../api/node-streams.js';
import { endAndFlush } from './remotecommand.js';
import { STREAM_CREATION_TIMEOUT_MS, STREAM_IDLE_TIMEOUT_MS, type Timeouts } from './remotecommand-spdy.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import { HEADER_PROTOCOL_VERSION, isSpdyUpgrade, missingUpgradeHeaders, negotiate, switchToSpdy, writeRefusal } from './spdy/handshake.js';
import { acceptWebSocket, offeredProtocols } from './websocket.js';

/** portforward.SupportedProtocols. */
const PORT_FORWARD_V1 = 'portforward.k8s.io';
/** The WebSocket sub-protocols that carry SPDY (wsstream.IsWebSocketRequestWithTunnelingProtocol). */
const TUNNELING_PREFIX = 'SPDY/3.1+';
const KUBERNETES_SUFFIX = '.k8s.io';

interface Upgrade {
  req: IncomingMessage;
  res: ServerResponse;
  socket: Socket;
  head: Buffer;
}

const tunnelled = (req: IncomingMessage) => offeredProtocols(req).filter((p) => p.startsWith(TUNNELING_PREFIX) && p.endsWith(KUBERNETES_SUFFIX));

/** Whether a WebSocket upgrade asks for SPDY tunnelled through it. */
export const isTunnelingRequest = (req: IncomingMessage): boolean => tunnelled(req).length > 0;

/** Plain SPDY: the handshake, the 101, then the connection until the client ends it. */
export async function servePortForwardSpdy(u: Upgrade, forward: PortForwarder, t: Timeouts = {}): Promise<void> {
  const n = negotiate(u.req, [PORT_FORWARD_V1]);
  // Without X-Stream-Protocol-Version, Handshake writes nothing and the handler returns: an empty 200.
  if ('missing' in n) return writeRefusal(u.res, { status: 200, body: '' });
  if ('refusal' in n) return writeRefusal(u.res, n.refusal);
  if (!isSpdyUpgrade(u.req)) return writeRefusal(u.res, { ...missingUpgradeHeaders(u.req), headers: { [HEADER_PROTOCOL_VERSION]: n.protocol } });
  u.res.detachSocket(u.socket);
  switchToSpdy(u.socket, n.protocol);
  await portForwardConnection(u.socket, u.head, forward, t, u.socket.remoteAddress ?? '').closed;
}

/** SPDY through a WebSocket: the SPDY handshake on the offered protocols less their prefix. */
export async function servePortForwardTunnel(u: Upgrade, forward: PortForwarder, t: Timeouts = {}): Promise<void> {
  const offered = tunnelled(u.req).map((p) => p.slice(TUNNELING_PREFIX.length));
  const protocol = offered.find((p) => p === PORT_FORWARD_V1);
  if (!protocol) {
    const message = `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${PORT_FORWARD_V1}]`;
    return writeRefusal(u.res, { status: 403, body: `${message}\n`, headers: { 'X-Accepted-Stream-Protocol-Versions': PORT_FORWARD_V1 } });
  }
  u.res.detachSocket(u.socket);
  const ws = await acceptWebSocket(u.req, u.socket, u.head, TUNNELING_PREFIX + protocol);
  if (!ws) return;
  // Loaded here, as the WebSocket server is: most servers never need it.
  const { createWebSocketStream } = await import('ws');
  const stream = createWebSocketStream(ws);
  stream.on('error', () => stream.destroy());
  await portForwardConnection(stream, Buffer.alloc(0), forward, t, u.socket.remoteAddress ?? '').closed;
}

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** The kubelet's httpStreamHandler on one connection. */
function portForwardConnection(socket: Duplex, head: Buffer, forward: PortForwarder, t: Timeouts, peer: string): SpdyConnection {
  const pairs = new Map<string, Pair>();
  const printError = (p: Pair, text: string) => p.error?.write(text);

  const run = async (p: Pair) => {
    const data = p.data!;
    const error = p.error!;
    try {
      await forward(Number(data.header('port')), data);
    } catch (err) {
      error.write(err instanceof Error ? err.message : String(err));
    }
    await Promise.all([endAndFlush(error, conn.closed), endAndFlush(data, conn.closed)]);
  };

  const conn = new SpdyConnection(socket, head, {
    idleTimeoutMs: t.idleMs ?? STREAM_IDLE_TIMEOUT_MS,
    onStream(stream) {
      // httpStreamReceived: a port (1 to 65535) and a stream type of data or error, or the stream is refused.
      const port = stream.header('port');
      if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) return false;
      const type = stream.header('streamType');
      if (type !== 'data' && type !== 'error') return false;
      // Clients that send no requestID number their pairs by stream ID: error n, data n + 2.
      const id = stream.header('requestID') || String(type === 'error' ? stream.id : stream.id - 2);
      let p = pairs.get(id);
      if (!p) {
        const pair: Pair = {
          timer: setTimeout(() => {
            pairs.delete(id);
            printError(pair, `(conn=${peer}, request=${id}) timed out waiting for streams`);
          }, t.creationMs ?? STREAM_CREATION_TIMEOUT_MS),
        };
        pair.timer.unref();
        pairs.set(id, pair);
        p = pair;
      }
      const pair = p;
      queueMicrotask(() => {
        if (pair[type]) return printError(pair, `error processing stream for request ${id}: ${type} stream already assigned`);
        pair[type] = stream;
        if (pair.data && pair.error && pairs.get(id) === pair) {
          clearTimeout(pair.timer);
          pairs.delete(id);
          void run(pair);
        }
      });
      return true;
    },
  });
  void conn.closed.then(() => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
  });
  return conn;
}

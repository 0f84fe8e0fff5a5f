// Accepting a WebSocket upgrade with a sub-protocol the caller chose (exec, attach and
// port-forward each have their own list): one `ws` server, loaded on the first use (most
// servers never need it).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

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

/**
 * golang.org/x/net/websocket's choice (wsstream's handshake): the client's first protocol the
 * server allows; '' when the client offers none and '' is allowed; undefined otherwise.
 */
export function chooseProtocol(offered: string[], allowed: readonly string[]): string | undefined {
  if (!offered.length) return allowed.includes('') ? '' : undefined;
  return offered.find((p) => allowed.includes(p));
}

let wss: WebSocketServer | undefined;
const chosen = new WeakMap<IncomingMessage, string>();

async function server(): Promise<WebSocketServer> {
  if (!wss) {
    const { WebSocketServer } = await import('ws');
    wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false, maxPayload: 64 * 1024 * 1024 });
    wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const protocol = chosen.get(req);
      if (protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
    });
  }
  return wss;
}

/** Completes the handshake with `protocol`; undefined when the client went away first. */
export async function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket | undefined> {
  chosen.set(req, protocol);
  // The protocol was chosen already, and `ws` would refuse the tunnelling ones (`SPDY/3.1+…`
  // is no token to it, though Go's clients and servers take it): it is named in the reply here.
  delete req.headers['sec-websocket-protocol'];
  const s = await server();
  return new Promise((resolve) => {
    const onClose = () => resolve(undefined);
    socket.once('close', onClose);
    s.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', onClose);
      ws.on('error', () => ws.terminate());
      resolve(ws);
    });
  });
}

/** golang.org/x/net/websocket's answer to a failed protocol handshake. */
export function refuseWebSocket(socket: Duplex): void {
  socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
}

// Switching an HTTP/1.1 request to SPDY/3.1 as the kubelet's streaming server does
// (k8s.io/apimachinery httpstream.Handshake and spdy.responseUpgrader): the client offers
// sub-protocols in X-Stream-Protocol-Version, the first of them the server accepts is chosen
// and named in the 101 reply; refusals are plain text, as Go's http.Error writes them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { goQuote } from '../../../../api/go-quote.js';

export const HEADER_PROTOCOL_VERSION = 'X-Stream-Protocol-Version';
export const SPDY_31 = 'SPDY/3.1';

/** A reply that refuses the upgrade. */
export interface Refusal {
  status: number;
  body: string;
  headers?: Record<string, string | string[]>;
}

/** The protocols the client offers, in its order (every header line, comma-separated). */
export function offeredStreamProtocols(req: IncomingMessage): string[] {
  return (req.headersDistinct[HEADER_PROTOCOL_VERSION.toLowerCase()] ?? []).flatMap((h) =>
    h
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
}

/**
 * httpstream.Handshake: the client's first protocol the server accepts. Without any, the caller
 * decides what to answer (Handshake itself writes nothing then); with none in common, a 403.
 */
export function negotiate(req: IncomingMessage, server: readonly string[]): { protocol: string } | { missing: string } | { refusal: Refusal } {
  const offered = offeredStreamProtocols(req);
  if (!offered.length) return { missing: `unable to upgrade: ${HEADER_PROTOCOL_VERSION} is required` };
  const protocol = offered.find((p) => server.includes(p));
  if (protocol) return { protocol };
  const message = `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${server.join(' ')}]`;
  return { refusal: { status: 403, body: `${message}\n`, headers: { 'X-Accepted-Stream-Protocol-Versions': [...server] } } };
}

/** Whether the request asks for SPDY/3.1 (the first Connection and Upgrade lines, as Go's Header.Get reads them). */
export function isSpdyUpgrade(req: IncomingMessage): boolean {
  const first = (name: string) => (req.headersDistinct[name]?.[0] ?? '').toLowerCase();
  return first('connection').includes('upgrade') && first('upgrade').includes(SPDY_31.toLowerCase());
}

/** The refusal of a request that is not a SPDY/3.1 upgrade, with its headers as Go's %#v prints them. */
export function missingUpgradeHeaders(req: IncomingMessage): Refusal {
  return { status: 400, body: `unable to upgrade: missing upgrade headers in request: ${goHeaderDump(req)}\n` };
}

/** textproto.CanonicalMIMEHeaderKey. */
const canonical = (name: string) => name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

/** An http.Header as %#v prints it: keys sorted, Host not among them (Go keeps it apart). */
function goHeaderDump(req: IncomingMessage): string {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const key = canonical(req.rawHeaders[i]!);
    if (key === 'Host') continue;
    headers.set(key, [...(headers.get(key) ?? []), req.rawHeaders[i + 1]!]);
  }
  const keys = [...headers.keys()].sort();
  return `http.Header{${keys.map((k) => `${goQuote(k)}:[]string{${headers.get(k)!.map(goQuote).join(', ')}}`).join(', ')}}`;
}

/** Writes a refusal as Go's http.Error does. */
export function writeRefusal(res: ServerResponse, r: Refusal): void {
  res.writeHead(r.status, { ...r.headers, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(Buffer.byteLength(r.body)) });
  res.end(r.body);
}

/** The 101 reply (headers in the order Go writes them: sorted). */
export function switchToSpdy(socket: Duplex, protocol: string): void {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', `Date: ${new Date().toUTCString()}`, `Upgrade: ${SPDY_31}`];
  if (protocol) lines.push(`${HEADER_PROTOCOL_VERSION}: ${protocol}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}

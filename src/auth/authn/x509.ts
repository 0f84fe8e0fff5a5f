// x509 client certificates: verified by TLS against the client CA; CN is the user, O the groups.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Authenticator, AuthnResult } from './authenticator.js';

/** The answer per connection: its certificate was checked once, in the handshake, and cannot change. */
const byConnection = new WeakMap<object, AuthnResult>();

/** The connection of a request: its socket, or for HTTP/2 its session (`req.socket` is then a stand-in per stream). */
const connectionOf = (req: IncomingMessage): object => (req as { stream?: { session?: object } }).stream?.session ?? req.socket;

function fromCertificate(socket: TLSSocket): AuthnResult {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  if (!socket.authorized) return { rejected: `verifying certificate: ${String(socket.authorizationError)}` };
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const cn = subject.CN;
  const org = subject.O;
  const username = Array.isArray(cn) ? cn[0]! : (cn ?? '');
  if (!username) return { rejected: 'client certificate has no common name' };
  const groups = org === undefined ? [] : Array.isArray(org) ? org : [org];
  const fingerprint = cert.fingerprint256.replace(/:/g, '').toLowerCase();
  return { user: { username, groups, extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${fingerprint}`] } } };
}

export const x509Authenticator: Authenticator = {
  name: 'x509',
  async authenticate(req: IncomingMessage) {
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate !== 'function') return undefined;
    const connection = connectionOf(req);
    if (byConnection.has(connection)) return byConnection.get(connection);
    const result = fromCertificate(socket);
    byConnection.set(connection, result);
    return result;
  },
};

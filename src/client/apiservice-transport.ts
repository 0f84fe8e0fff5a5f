// How the aggregation layer reaches the server behind an APIService, as kube-aggregator does: a
// connection to one endpoint of its Service, TLS checked against the APIService's caBundle for the
// name `<service>.<namespace>.svc` (unless insecureSkipTLSVerify), presenting the front proxy's
// client certificate; the user rides in the X-Remote-* request headers (requestheader
// authentication, which the backend configures from the extension-apiserver-authentication
// ConfigMap).
import { request } from 'node:http';
import { connect, type TLSSocket } from 'node:tls';
import type { APIService } from '../api/apiservices.js';
import type { ServiceDialer } from './service-dial.js';

/** The front proxy's client certificate and key (PEM). */
export interface ProxyClientCert {
  cert: string;
  key: string;
}

export const REMOTE_USER = 'X-Remote-User';
export const REMOTE_GROUP = 'X-Remote-Group';
export const REMOTE_EXTRA = 'X-Remote-Extra-';

/** The headers that carry a user to the backend (transport.SetAuthProxyHeaders: extra keys escaped as URL paths). */
export function remoteUserHeaders(user: { username: string; groups?: string[]; extra?: Record<string, string[]> }): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { [REMOTE_USER]: user.username };
  if (user.groups?.length) headers[REMOTE_GROUP] = user.groups;
  for (const [key, values] of Object.entries(user.extra ?? {})) headers[`${REMOTE_EXTRA}${encodeURIComponent(key)}`] = values;
  return headers;
}

/** A TLS connection to the server behind a (non-local) APIService. */
export async function connectApiService(dial: ServiceDialer, s: APIService, client: ProxyClientCert): Promise<TLSSocket> {
  const { namespace = '', name = '', port = 443 } = s.spec?.service ?? {};
  const raw = await dial(namespace, name, port);
  const insecure = s.spec?.insecureSkipTLSVerify === true;
  const ca = s.spec?.caBundle ? Buffer.from(s.spec.caBundle, 'base64').toString() : undefined;
  return new Promise((resolve, reject) => {
    const socket = connect({ socket: raw, servername: `${name}.${namespace}.svc`, ca, rejectUnauthorized: !insecure, cert: client.cert, key: client.key, ALPNProtocols: ['http/1.1'] });
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (err) => {
      raw.destroy();
      reject(err);
    });
  });
}

const PROBE_TIMEOUT_MS = 5000;

/**
 * GET of a path from the server behind an APIService as system:kube-aggregator (in system:masters),
 * within 5 s; answers the status code and body.
 */
export async function getFromApiService(dial: ServiceDialer, s: APIService, client: ProxyClientCert, path: string, maxBytes = 4 << 20): Promise<{ status: number; body: Buffer }> {
  const socket = await connectApiService(dial, s, client);
  return new Promise((resolve, reject) => {
    const req = request({
      createConnection: () => socket,
      method: 'GET',
      path,
      // No agent: the request goes over this connection (an agent would dial the Host itself).
      headers: { Host: `${s.spec?.service?.name}.${s.spec?.service?.namespace}.svc`, Accept: 'application/json', ...remoteUserHeaders({ username: 'system:kube-aggregator', groups: ['system:masters'] }) },
    });
    const timer = setTimeout(() => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')), PROBE_TIMEOUT_MS);
    req.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) req.destroy(new Error(`response larger than ${maxBytes} bytes`));
        else chunks.push(c);
      });
      res.once('end', () => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}

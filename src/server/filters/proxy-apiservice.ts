// Requests for a group version another server serves through an APIService are passed to it, as
// kube-aggregator's proxy handler does, once authenticated and authorized here: over a connection
// from client/apiservice-transport.ts, as the user in X-Remote-* headers, the credentials and
// impersonation headers of the request left out. Upgrades (watch streams over WebSockets, exec)
// are spliced both ways. An unavailable APIService, or a server that cannot be reached, is 503
// with upstream's plain-text message.
import { request, type IncomingHttpHeaders } from 'node:http';
import { isAvailable } from '../../api/apiservices.js';
import { remoteUserHeaders, REMOTE_EXTRA, REMOTE_GROUP, REMOTE_USER } from '../../client/apiservice-transport.js';
import type { Filter, RequestContext } from '../context.js';
import type { RemoteApis } from '../remote-apis.js';
import { cut, writeText } from '../respond.js';

/** Hop-by-hop headers (never forwarded) and what this server consumed. */
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'authorization', 'host']);
const dropped = (name: string) => {
  const n = name.toLowerCase();
  return DROPPED.has(n) || n.startsWith(':') || n.startsWith('impersonate-') || [REMOTE_USER, REMOTE_GROUP].some((h) => h.toLowerCase() === n) || n.startsWith(REMOTE_EXTRA.toLowerCase());
};

function forwardedHeaders(rc: RequestContext, host: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(rc.req.headers as IncomingHttpHeaders)) if (value !== undefined && !dropped(name)) out[name] = value;
  return { ...out, host, ...remoteUserHeaders(rc.user!) };
}

/** The group version a path under /apis/ names, if it names one. */
function groupVersionOf(path: string): [string, string] | undefined {
  const parts = path.split('/');
  return parts[1] === 'apis' && parts[2] && parts[3] ? [parts[2], parts[3]] : undefined;
}

export function proxyApiService(remote: () => RemoteApis | undefined): Filter {
  return async (rc, next) => {
    const gv = groupVersionOf(rc.url.pathname);
    const s = gv && remote()?.serving(gv[0], gv[1]);
    if (!s) return next();
    if (!isAvailable(s)) return writeText(rc.res, 503, 'service unavailable\n');
    let socket;
    try {
      socket = await remote()!.connect(s);
    } catch (err) {
      return writeText(rc.res, 503, `${(err as Error).message}\n`);
    }
    const host = `${s.spec?.service?.name}.${s.spec?.service?.namespace}.svc`;
    const path = `${rc.url.pathname}${rc.url.search}`;
    if (rc.upgrade) {
      // The request head as received, with the user's identity instead of its credentials; then bytes both ways.
      const headers = { ...forwardedHeaders(rc, host), connection: 'Upgrade', upgrade: rc.req.headers.upgrade ?? '' };
      const lines = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`));
      socket.write(`${rc.req.method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      if (rc.upgrade.head.length) socket.write(rc.upgrade.head);
      const client = rc.upgrade.socket;
      socket.pipe(client).on('error', () => socket.destroy());
      client.pipe(socket).on('error', () => client.destroy());
      socket.on('close', () => client.destroy());
      client.on('close', () => socket.destroy());
      return;
    }
    await new Promise<void>((resolve) => {
      const out = request({ createConnection: () => socket, method: rc.req.method, path, headers: forwardedHeaders(rc, host) });
      const fail = (err: Error) => {
        socket.destroy();
        if (!rc.res.headersSent) writeText(rc.res, 503, `${err.message}\n`);
        else cut(rc.res);
        resolve();
      };
      out.once('error', fail);
      out.once('response', (res) => {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !DROPPED.has(name)) headers[name] = value;
        rc.res.writeHead(res.statusCode ?? 502, headers);
        // Watches and logs stream: each chunk is sent as it comes.
        res.on('data', (chunk: Buffer) => rc.res.write(chunk));
        res.once('end', () => {
          rc.res.end();
          socket.destroy();
          resolve();
        });
        res.once('error', fail);
      });
      rc.res.once('close', () => {
        out.destroy();
        socket.destroy();
        resolve();
      });
      rc.req.pipe(out);
    });
  };
}

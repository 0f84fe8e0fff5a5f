// The HTTPS API server: a listening socket (HTTP/2 and HTTP/1.1) with kube-apiserver's timeouts,
// and the request pipeline, an ordered list of small filters read top to bottom. It serves a
// registry and knows nothing of storage, controllers or the node: src/app.ts wires those.
import { ServerResponse, type IncomingMessage } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Clock, Random } from '../api/clock.js';
import { ApiError } from '../api/errors.js';
import type { Authenticator } from '../auth/authn/authenticator.js';
import type { Authorizer } from '../auth/authz/authorizer.js';
import type { PolicyIndex } from '../auth/authz/rbac/policy-index.js';
import type { OidcDocuments } from '../auth/tokens/oidc-discovery.js';
import type { Registry } from '../registry/registry.js';
import { compose, type RequestContext } from './context.js';
import type { Auditor } from './audit/auditor.js';
import { audit, auditInit } from './filters/audit.js';
import { authenticate } from './filters/authenticate.js';
import { authorize } from './filters/authorize.js';
import { loadConsoleAssets, serveConsole } from './filters/console.js';
import { handleErrors } from './filters/handle-errors.js';
import { impersonate } from './filters/impersonate.js';
import { limitInFlight, type InFlightLimits } from './filters/limit-in-flight.js';
import { measure } from './filters/measure.js';
import type { ApiServerMetrics } from './metrics/apiserver-metrics.js';
import { proxyApiService } from './filters/proxy-apiservice.js';
import type { RemoteApis } from './remote-apis.js';
import { requestTimeout } from './filters/request-timeout.js';
import type { HealthCheck } from './handlers/system.js';
import { HTTP2_OPTIONS, MAX_HEADER_BYTES, MAX_HEADERS, superviseSession } from './http2.js';
import { openApiV3 } from './openapi.js';
import { parseRequestInfo, RequestInfoError, type RequestInfo } from './request-info.js';
import { abandon, writeError, writeText } from './respond.js';
import { router } from './router.js';

export interface TlsFiles {
  key: string;
  cert: string;
  /** The CA that client certificates must chain to. */
  ca: string;
}

export interface ListenOptions {
  port: number;
  bindAddress: string;
  tls: TlsFiles;
  /** --request-timeout: the longest a request that is not long-running may take (default 60 s). */
  requestTimeoutMs?: number;
  /** How long a client may take to send a request's headers (default 32 s, as kube-apiserver's ReadHeaderTimeout). */
  headersTimeoutMs?: number;
}

/** What the pipeline serves, once the registry and the authenticators exist. */
export interface ServeOptions {
  registry: Registry;
  authenticator: Authenticator;
  authorizer: Authorizer;
  /** OIDC discovery documents, when the issuer allows them. */
  oidc?: OidcDocuments;
  health: HealthCheck[];
  clock: Clock;
  random: Random;
  /** --max-requests-inflight and --max-mutating-requests-inflight (default 400 and 200; 0: no limit). */
  inFlight?: Partial<InFlightLimits>;
  /** The group versions other servers serve through APIServices (once the informers run). */
  remoteApis?: () => RemoteApis | undefined;
  /** Badge's own metrics: recorded by the pipeline, served on /metrics. */
  metrics: ApiServerMetrics;
  /** The audit policy and log (--audit-policy-file, --audit-log-path), when both are given. */
  auditor?: Auditor;
  /** --explain-forbidden: the RBAC policy, whose closest grant a Forbidden reply names in a Warning. */
  explainForbidden?: PolicyIndex;
}

export interface ApiServer {
  url: string;
  port: number;
  /** The host of `url` (an IPv6 address in brackets). */
  urlHost: string;
  /** Serves new connections with another certificate (one that names more addresses). */
  setTls(tls: TlsFiles): void;
  /** Starts answering requests; until then each gets the 503 Status. */
  serve(opts: ServeOptions): void;
  close(): Promise<void>;
}

/** Listens on the port; requests are answered once `serve` is called. */
export async function listenApi(opts: ListenOptions): Promise<ApiServer> {
  const requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
  const headersTimeoutMs = opts.headersTimeoutMs ?? 32_000;
  // A client that sends nothing, or trickles its headers or body, is cut off: the TLS handshake
  // and the headers within headersTimeoutMs, the body within the request timeout.
  const server = createSecureServer({
    key: opts.tls.key,
    cert: opts.tls.cert,
    ca: [opts.tls.ca],
    requestCert: true,
    rejectUnauthorized: false,
    handshakeTimeout: headersTimeoutMs,
    // As https.createServer: replies are not held back to be merged with later ones.
    noDelay: true,
    ...HTTP2_OPTIONS,
  });
  // HTTP/1.1 connections are served by node:http's code, which reads its settings from the server
  // object; https.createServer takes them as options, createSecureServer does not.
  Object.assign(server, {
    headersTimeout: headersTimeoutMs,
    // The request-timeout filter answers first (504); this cut is the backstop.
    requestTimeout: requestTimeoutMs + headersTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, headersTimeoutMs / 4)),
    keepAliveTimeout: 60_000,
    requireHostHeader: true,
    maxHeaderSize: MAX_HEADER_BYTES,
    maxHeadersCount: MAX_HEADERS,
  });
  // Every connection, to close them all in close().
  const connections = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    if (socket.alpnProtocol === 'h2') {
      // A session that closes gracefully (the client sent GOAWAY) ends its side of the
      // connection, then waits for the client to end the other, which a client may never do:
      // as Go's server (goAwayTimeout), it closes the connection a second later.
      socket.once('finish', () => setTimeout(() => socket.destroy(), 1000).unref());
      return;
    }
    // Node's HTTP parser reads a TLS connection's handle directly, and is paused when a request
    // arrives while the previous reply is still being written; the TLS layer then still hands it
    // the rest of the records it decrypted, the parser fails (HPE_PAUSED) and Node destroys the
    // connection mid-request. A 'data' listener makes Node parse from the socket's stream, which
    // holds those bytes until the parser resumes.
    socket.on('data', () => {});
  });
  server.on('session', (session) => superviseSession(session, { headersTimeoutMs, bodyTimeoutMs: requestTimeoutMs + headersTimeoutMs }));
  const port = await listen(server, opts.port, opts.bindAddress);
  const host = opts.bindAddress;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let pipeline: ((rc: RequestContext) => Promise<void>) | undefined;
  let op: (rc: RequestContext) => ReturnType<RequestContext['op']> = () => {
    throw new Error('not serving yet');
  };
  // No request may end the process: whatever escapes the pipeline's own error reply is logged
  // and the connection closed.
  const handle = (req: IncomingMessage, res: ServerResponse, upgrade?: RequestContext['upgrade']) => {
    try {
      if (!pipeline) return writeError(res, new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {}));
      const target = requestTarget(req.method ?? 'GET', req.url ?? '');
      if (target instanceof RequestInfoError) return writeText(res, 500, `Internal Server Error: ${JSON.stringify(req.url)}: failed to create RequestInfo: ${target.message}\n`);
      const { url, info } = target;
      const rc: RequestContext = { req, res, url, info, received: performance.now(), warnings: [], auditAnnotations: {}, ...(upgrade ? { upgrade } : {}), op: () => op(rc) };
      pipeline(rc).catch((err) => abandon(res, err));
    } catch (err) {
      abandon(res, err);
    }
  };
  // HTTP/2 requests come as node:http2's compatibility objects, which offer what the pipeline
  // uses of node:http's (http2.ts adds what they lack). Node hands them over while it is still
  // reading the frames that came with them; they are handled on the next turn of the event loop,
  // when a stream reset in the same read (a "rapid reset", CVE-2023-44487: hundreds of requests
  // cancelled as soon as sent) is known and costs no more work.
  const handleStream = (req: IncomingMessage, res: ServerResponse) => res.destroyed || handle(req, res);
  server.on('request', (req, res) => {
    const [r, s] = [req as unknown as IncomingMessage, res as unknown as ServerResponse];
    if (r.httpVersionMajor === 2) setImmediate(handleStream, r, s);
    else handle(r, s);
  });
  // Requests to switch protocols (pods/exec over WebSockets, …) come over HTTP/1.1, as Go clients
  // send them, and go through the same pipeline; a reply over HTTP (an error, a refusal) is
  // written to the raw socket, which then closes.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => {
      if (res.socket) res.detachSocket(socket);
      socket.end();
    });
    handle(req, res, { socket, head });
  });

  return {
    url: `https://${urlHost}:${port}`,
    port,
    urlHost,
    setTls: (tls) => server.setSecureContext({ key: tls.key, cert: tls.cert, ca: [tls.ca] }),
    serve(s) {
      // Each group version's document built on first use, again after its resources change (custom resources come and go).
      const openapi = openApiV3(() => s.registry.defs, () => s.registry.generation);
      op = (rc) => ({ user: rc.user!, clock: s.clock, random: s.random, auditAnnotations: rc.auditAnnotations });
      const remote = s.remoteApis ?? (() => undefined);
      const consoleAssets = loadConsoleAssets();
      pipeline = compose([
        auditInit(s.random, s.auditor),
        handleErrors,
        // The console's files, to anyone: before authentication, as they hold no data.
        serveConsole(consoleAssets),
        requestTimeout(requestTimeoutMs),
        authenticate(s.authenticator, s.metrics),
        ...(s.auditor ? [audit(s.auditor)] : []),
        impersonate(s.authorizer),
        limitInFlight({ readOnly: 400, mutating: 200, ...s.inFlight }),
        authorize(s.authorizer, s.explainForbidden),
        proxyApiService(remote),
        measure(s.metrics, (g, v, r) => !!s.registry.store(g, v, r)),
        router({ registry: s.registry, openapi, oidc: s.oidc, serverAddress: `${urlHost}:${port}`, health: s.health, remote, metrics: s.metrics }),
      ]);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      });
    },
  };
}

/** Parsed request targets, by method and URL: clients ask for the same paths again and again. */
const targets = new Map<string, { url: URL; info: RequestInfo } | RequestInfoError>();
const REMEMBERED_TARGETS = 1000;

/** The URL and request info of a request (shared between requests: neither is ever changed). */
function requestTarget(method: string, path: string): { url: URL; info: RequestInfo } | RequestInfoError {
  const key = `${method} ${path}`;
  let t = targets.get(key);
  if (t) return t;
  // Concatenated, not resolved: a path starting with // stays a path.
  const url = new URL(`https://localhost${path.startsWith('/') ? path : `/${path}`}`);
  try {
    t = { url, info: parseRequestInfo(method, url) };
  } catch (err) {
    if (!(err instanceof RequestInfoError)) throw err;
    t = err;
  }
  if (targets.size >= REMEMBERED_TARGETS) targets.delete(targets.keys().next().value!);
  targets.set(key, t);
  return t;
}

function listen(server: Http2SecureServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

// Assembles Badge: storage, registry, admission, controllers and the HTTPS API server.
import { ServerResponse, type IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock, systemRandom, type Clock, type Random } from '../api/clock.js';
import { buildAuth, authOptionErrors, defaultAuthOptions, type Auth, type AuthOptions } from '../auth/setup.js';
import { serviceAccountKeys } from '../auth/tokens/keys.js';
import { lookupIn, markLegacyTokenUsed } from '../auth/authn/lookup.js';
import { createAuthorization } from '../auth/authz/setup.js';
import { rbacEscalation } from '../admission/rbac-escalation.js';
import { namespaceLifecycle } from '../admission/namespace-lifecycle.js';
import { serviceAccountAdmission } from '../admission/serviceaccount.js';
import { apiserverUser } from '../api/user.js';
import { LocalClient } from '../registry/local-client.js';
import { startControllers } from '../controllers/index.js';
import { ensurePki, type ClusterPki } from '../pki/certs.js';
import { writeKubeconfig } from '../pki/kubeconfig.js';
import { AdmissionChain } from '../admission/chain.js';
import { Registry } from '../registry/registry.js';
import { allResources, bodySchemas } from '../registry/resources/index.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { compose, type RequestContext } from './context.js';
import { authenticate } from './filters/authenticate.js';
import { authorize } from './filters/authorize.js';
import { impersonate } from './filters/impersonate.js';
import { handleErrors } from './filters/handle-errors.js';
import { limitInFlight, type InFlightLimits } from './filters/limit-in-flight.js';
import { requestTimeout } from './filters/request-timeout.js';
import { buildOpenApi, type OpenApiDocs } from './openapi.js';
import { lockDataDir } from './lock.js';
import { checkDataDir } from './data-dir.js';
import { parseRequestInfo, RequestInfoError, type RequestInfo } from './request-info.js';
import { abandon, writeText } from './respond.js';
import { router } from './router.js';
import { startCompactor } from './compactor.js';
import type { PodStreams } from '../api/node-streams.js';
import { startNodeAgent, type NodeAgent } from '../node/agent.js';
import { defaultNodeName } from '../node/node-object.js';

export interface ServerOptions {
  dataDir: string;
  port: number;
  bindAddress: string;
  clock?: Clock;
  random?: Random;
  /** How often old history is compacted (kube-apiserver: 5 minutes). */
  compactionIntervalMs?: number;
  /** Authentication flags (see auth/setup.ts); defaults as kube-apiserver's. */
  auth?: Partial<AuthOptions>;
  /** --legacy-service-account-token-clean-up-period, seconds (default one year). */
  legacyTokenCleanUpPeriodSeconds?: number;
  /** A signing key already being made (see startSigningKey), used if the data dir has none. */
  signingKey?: Promise<KeyObject>;
  /** The node agent's container runtime (default simulated). */
  runtime?: 'simulated' | 'process';
  /** The name the node registers under (default: the host name, lower case). */
  nodeName?: string;
  /** How often the node agent syncs every pod again, refreshing volumes and tokens (default 60 s). */
  nodeSyncIntervalMs?: number;
  /** --request-timeout: the longest a request that is not long-running may take (default 60 s). */
  requestTimeoutMs?: number;
  /** --max-requests-inflight and --max-mutating-requests-inflight (default 400 and 200; 0: no limit). */
  inFlight?: Partial<InFlightLimits>;
  /** How long a client may take to send a request's headers (default 32 s, as kube-apiserver's ReadHeaderTimeout). */
  headersTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  pki: ClusterPki;
  auth: Auth;
  registry: Registry;
  storage: Storage;
  /** The node agent: the pods/log and pods/exec backend (PodStreams). */
  node: NodeAgent;
  close(): Promise<void>;
}

/** The in-cluster address of the API (the `kubernetes` Service's ClusterIP). */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? systemRandom;
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(join(opts.dataDir, 'badge.lock'));
  const cleanup: (() => Promise<void> | void)[] = [unlock];
  try {
    const authOptions = defaultAuthOptions(opts.auth);
    const problems = authOptionErrors(authOptions);
    if (problems.length) throw new Error(problems.join('; '));
    const dataDir = checkDataDir(opts.dataDir, authOptions.serviceAccountSigningAlg);
    // The service account key (an RSA key on first start) is made in the thread pool meanwhile.
    const keys = serviceAccountKeys(join(opts.dataDir, 'pki'), authOptions.serviceAccountSigningAlg, authOptions.serviceAccountKeyFiles, opts.signingKey);
    keys.catch(() => undefined);

    const specific = !['0.0.0.0', '::', '127.0.0.1', '::1'].includes(opts.bindAddress) ? [opts.bindAddress] : [];
    let pki = await ensurePki(opts.dataDir, clock.now(), [KUBERNETES_SERVICE_IP, ...specific]);
    const storage = new SqliteStorage(join(opts.dataDir, 'state.db'), { clock });
    cleanup.unshift(() => storage.close());

    const requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    const headersTimeoutMs = opts.headersTimeoutMs ?? 32_000;
    // A client that sends nothing, or trickles its headers or body, is cut off: the TLS handshake
    // and the headers within headersTimeoutMs, the body within the request timeout.
    const server = createServer({
      key: pki.serving.key,
      cert: pki.serving.cert,
      ca: [pki.ca.cert],
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: headersTimeoutMs,
      headersTimeout: headersTimeoutMs,
      // The request-timeout filter answers first (504); this cut is the backstop.
      requestTimeout: requestTimeoutMs + headersTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, headersTimeoutMs / 4)),
    });
    server.keepAliveTimeout = 60_000;
    // Node's HTTP parser reads a TLS connection's handle directly, and is paused when a request
    // arrives while the previous reply is still being written; the TLS layer then still hands it the
    // rest of the records it decrypted, the parser fails (HPE_PAUSED) and Node destroys the
    // connection mid-request. A 'data' listener makes Node parse from the socket's stream, which
    // holds those bytes until the parser resumes.
    server.on('secureConnection', (socket: Socket) => socket.on('data', () => {}));
    const host = opts.bindAddress;
    const port = await listen(server, opts.port, host);
    if (opts.runtime === 'process') {
      // Pods of the process runtime reach the API at a loopback address of this port (see
      // node/runtime/process.ts): the serving certificate must name it.
      const { loopbackServiceHost } = await import('../node/runtime/process.js');
      pki = await ensurePki(opts.dataDir, clock.now(), [KUBERNETES_SERVICE_IP, ...specific, loopbackServiceHost(port)]);
      server.setSecureContext({ key: pki.serving.key, cert: pki.serving.cert, ca: [pki.ca.cert] });
    }
    cleanup.unshift(() => closeServer(server));
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const url = `https://${urlHost}:${port}`;

    // The token authenticator looks objects up in the registry, which needs the resources, which
    // need the token authenticator (TokenReview): the lookup reads `registry` once it exists.
    let registry: Registry | undefined;
    const internal = () => new LocalClient(registry!, apiserverUser, clock, random);
    const auth = buildAuth(authOptions, await keys, url, clock, lookupIn(() => internal()), (secret, today) => markLegacyTokenUsed(internal(), secret, today));
    dataDir.markInitialised(); // the certificates, the signing key and state.db all exist now
    const authz = createAuthorization();
    const admission = new AdmissionChain();
    // The node agent starts last; pods/log and pods/exec look it up per request.
    let podStreams: PodStreams | undefined;
    const defs = allResources({
      podStreams: () => podStreams,
      tokenRequest: { issuer: auth.issuer, apiAudiences: authOptions.apiAudiences, maxExpirationSeconds: authOptions.serviceAccountMaxTokenExpirationSeconds, extendExpiration: authOptions.serviceAccountExtendTokenExpiration },
      tokenAuthenticator: auth.tokens,
      authorizer: authz.authorizer,
      rbac: authz.rbac,
    });
    registry = new Registry(defs, storage, admission);
    for (const s of bodySchemas()) registry.addBodySchema(s);
    admission.use(namespaceLifecycle(internal()), serviceAccountAdmission(internal()), rbacEscalation(authz.authorizer, authz.rbac, authz.index));
    let docs: OpenApiDocs | undefined;
    const openapi = () => (docs ??= buildOpenApi(defs));

    let ready = false;
    const pipeline = compose([
      handleErrors,
      requestTimeout(requestTimeoutMs),
      authenticate(auth.request),
      impersonate(authz.authorizer),
      limitInFlight({ readOnly: 400, mutating: 200, ...opts.inFlight }),
      authorize(authz.authorizer),
      router({ registry, openapi, oidc: auth.oidc, serverAddress: `${urlHost}:${port}`, health: [{ name: 'ping', ok: () => true }, { name: 'etcd', ok: () => true }, { name: 'informer-sync', ok: () => ready }] }),
    ]);
    // No request may end the process: whatever escapes the pipeline's own error reply is logged
    // and the connection closed.
    const handle = (req: IncomingMessage, res: ServerResponse, upgrade?: RequestContext['upgrade']) => {
      try {
        const target = requestTarget(req.method ?? 'GET', req.url ?? '');
        if (target instanceof RequestInfoError) return writeText(res, 500, `Internal Server Error: ${JSON.stringify(req.url)}: failed to create RequestInfo: ${target.message}\n`);
        const { url, info } = target;
        const rc: RequestContext = { req, res, url, info, warnings: [], ...(upgrade ? { upgrade } : {}), op: () => ({ user: rc.user!, clock, random }) };
        pipeline(rc).catch((err) => abandon(res, err));
      } catch (err) {
        abandon(res, err);
      }
    };
    server.on('request', (req, res) => handle(req, res));
    // Requests to switch protocols (pods/exec over WebSockets, …) go through the same pipeline; a
    // reply over HTTP (an error, a refusal) is written to the raw socket, which then closes.
    const upgraded = new Set<Socket>();
    cleanup.unshift(() => {
      for (const s of upgraded) s.destroy();
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
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

    const client = internal();
    const apiHostIp = urlHost.startsWith('[') || urlHost === 'localhost' ? '127.0.0.1' : urlHost;
    const controllers = await startControllers({
      client,
      clock,
      random,
      defs,
      serviceIp: KUBERNETES_SERVICE_IP,
      apiHostIp,
      apiPort: port,
      rootCA: pki.ca.cert,
      legacyTokenIssuer: auth.legacyIssuer,
      legacyTokenCleanUpPeriodSeconds: opts.legacyTokenCleanUpPeriodSeconds ?? 365 * 24 * 3600,
    });
    cleanup.unshift(() => controllers.stop());
    // The bootstrap policy needs the system namespaces, which the controllers have made.
    const policy = await authz.start(client);
    cleanup.unshift(() => policy.stop());
    const compactor = startCompactor(storage, opts.compactionIntervalMs ?? 5 * 60_000);
    cleanup.unshift(() => compactor.stop());
    // The node agent comes last: it needs the namespaces, the kubernetes Service and kube-root-ca.crt.
    const node = await startNodeAgent({
      client,
      clock,
      dataDir: opts.dataDir,
      nodeName: opts.nodeName ?? defaultNodeName(),
      runtime: opts.runtime ?? 'simulated',
      secretFiles: [...(authOptions.tokenAuthFile ? [authOptions.tokenAuthFile] : []), ...authOptions.serviceAccountKeyFiles],
      apiServer: { host: apiHostIp, port },
      syncIntervalMs: opts.nodeSyncIntervalMs,
    });
    cleanup.unshift(() => node.stop());
    podStreams = node;
    ready = true;

    const kubeconfigPath = join(opts.dataDir, 'kubeconfig.yaml');
    writeKubeconfig(kubeconfigPath, url, pki.ca.cert, pki.admin);
    return {
      url,
      port,
      kubeconfigPath,
      pki,
      auth,
      registry,
      storage,
      node,
      close: async () => {
        for (const c of cleanup.splice(0)) await c();
      },
    };
  } catch (err) {
    for (const c of cleanup.splice(0)) await c();
    throw err;
  }
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

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// The one composition root: from the flags to a running Badge — the data dir (lock, checks, PKI,
// keys), storage, authentication and authorization, admission, the registry, the API server, the
// controllers, the compactor and the node agent. Every other folder receives what it needs here.
import type { KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateApproval, certificateSigning, certificateSubjectRestriction } from './admission/certificates.js';
import { AdmissionChain } from './admission/chain.js';
import { limitRanger } from './admission/limit-ranger.js';
import { namespaceLifecycle } from './admission/namespace-lifecycle.js';
import { defaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { defaultIngressClass } from './admission/default-ingress-class.js';
import { defaultStorageClass } from './admission/default-storage-class.js';
import { storageObjectInUseProtection } from './admission/storage-object-in-use-protection.js';
import { priorityAdmission } from './admission/priority.js';
import { rbacEscalation } from './admission/rbac-escalation.js';
import { resourceQuotaAdmission } from './admission/resource-quota.js';
import { serviceAccountAdmission } from './admission/serviceaccount.js';
import { validatingAdmissionPolicy } from './admission/validating-policy.js';
import { mutatingAdmissionWebhook, validatingAdmissionWebhook, type WebhookOptions } from './admission/webhooks.js';
import { applyJsonPatch } from './server/patch/json-patch.js';
import { systemClock, systemRandom, type Clock, type Random } from './api/clock.js';
import type { PodStreams } from './api/node-streams.js';
import type { ResourceUsage } from './api/resource-usage.js';
import { apiserverUser } from './api/user.js';
import { lookupIn, markLegacyTokenUsed } from './auth/authn/lookup.js';
import { createAuthorization } from './auth/authz/setup.js';
import { authOptionErrors, buildAuth, defaultAuthOptions, type Auth, type AuthOptions } from './auth/setup.js';
import { legacyClaims } from './auth/tokens/claims.js';
import { serviceAccountKeys } from './auth/tokens/keys.js';
import { getFromApiService } from './client/apiservice-transport.js';
import { InformerFactory } from './client/informer-factory.js';
import { serviceDialer } from './client/service-dial.js';
import { startControllers, type ControllerDeps } from './controllers/index.js';
import { startNodeAgent, type NodeAgent } from './node/agent.js';
import { localVolumes } from './node/local-volumes.js';
import { defaultNodeName } from './node/node-object.js';
import { ensurePki, type ClusterPki } from './pki/certs.js';
import { csrSigner } from './pki/csr-signer.js';
import { writeKubeconfig } from './pki/kubeconfig.js';
import { LocalClient } from './registry/local-client.js';
import { Registry } from './registry/registry.js';
import { compileSchemaRules, validateCelRules } from './cel/schema-rules.js';
import { serveCustomResources } from './registry/apiextensions/custom-watcher.js';
import { allResources, bodySchemas } from './registry/resources/index.js';
import { listenApi } from './server/api-server.js';
import { Auditor } from './server/audit/auditor.js';
import { openLogFile, stdoutWriter } from './server/audit/log-file.js';
import { parsePolicy } from './server/audit/policy.js';
import { remoteApis, type RemoteApis } from './server/remote-apis.js';
import { startCompactor } from './server/compactor.js';
import { shareClusterIdentity } from './server/cluster-identity.js';
import { checkDataDir } from './server/data-dir.js';
import { kubernetesEndpoints } from './server/kubernetes-endpoints.js';
import { serverIdentity } from './server/server-id.js';
import type { InFlightLimits } from './server/filters/limit-in-flight.js';
import { lockDataDir } from './server/lock.js';
import { SqliteStorage } from './storage/sqlite/sqlite-storage.js';
import { startEtcdCompactor } from './storage/etcd/compactor.js';
import { openEtcdStorage, type EtcdOptions } from './storage/etcd/etcd-storage.js';
import { instrumented } from './storage/instrumented.js';
import { WatchCache } from './storage/watch-cache.js';
import { moveToKubeLayout } from './storage/key-layout.js';
import { ApiServerMetrics } from './server/metrics/apiserver-metrics.js';
import { recordStorageRequests } from './server/metrics/storage-labels.js';
import type { Storage } from './storage/storage.js';

export interface ServerOptions {
  dataDir: string;
  port: number;
  bindAddress: string;
  clock?: Clock;
  random?: Random;
  /** How often old history is compacted (kube-apiserver: 5 minutes). */
  compactionIntervalMs?: number;
  /** --storage-backend etcd3 and the --etcd-* flags: the objects are in etcd (default: SQLite in the data dir). */
  etcd?: EtcdOptions;
  /** Authentication flags (see auth/setup.ts); defaults as kube-apiserver's. */
  auth?: Partial<AuthOptions>;
  /** --legacy-service-account-token-clean-up-period, seconds (default one year). */
  legacyTokenCleanUpPeriodSeconds?: number;
  /** --node-monitor-grace-period, ms (default 50 s). */
  nodeMonitorGracePeriodMs?: number;
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
  /** The audit log (--audit-policy-file, --audit-log-*): none when absent. */
  audit?: AuditOptions;
  /** --explain-forbidden: a Forbidden reply of the authorizer names the user's closest grant in a Warning. */
  explainForbidden?: boolean;
  /** --cluster-token-file: the CA, client certificates and signing keys are shared through the store, sealed with this token. */
  clusterTokenFile?: string;
  /** Leader election timings of the controller manager and the scheduler (tests); client-go's defaults otherwise. */
  leaderElection?: ControllerDeps['leaderElection'];
}

export interface AuditOptions {
  policyFile: string;
  /** A file, or `-` for standard output. */
  logPath: string;
  maxAgeDays: number;
  maxBackups: number;
  maxSizeMb: number;
}

/** Reads the policy (an invalid one stops the start, naming the file) and opens the log. */
function startAuditor(opts: AuditOptions, metrics: ApiServerMetrics): Auditor {
  let text: string;
  try {
    text = readFileSync(opts.policyFile, 'utf8');
  } catch (err) {
    throw new Error(`failed to read file path "${opts.policyFile}": ${(err as Error).message}`);
  }
  const policy = parsePolicy(text, opts.policyFile);
  const writer = opts.logPath === '-' ? stdoutWriter : openLogFile({ path: opts.logPath, maxAgeDays: opts.maxAgeDays, maxBackups: opts.maxBackups, maxSizeMb: opts.maxSizeMb });
  return new Auditor({ policy, writer, metrics });
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
    const dataDir = checkDataDir(opts.dataDir, authOptions.serviceAccountSigningAlg, !opts.etcd);
    const etcd = opts.etcd && (await openEtcdStorage({ ...opts.etcd, clock }));
    const store = etcd ? `etcd ${opts.etcd!.servers.join(',')}` : join(opts.dataDir, 'state.db');
    const backend = etcd || new SqliteStorage(store, { clock });
    cleanup.unshift(() => backend.close());
    // The CA, client certificates and signing keys of the cluster the store holds (written into the data dir).
    await shareClusterIdentity({
      dataDir: opts.dataDir,
      storage: backend,
      store,
      tokenFile: opts.clusterTokenFile,
      // A SQLite store is this server's alone: its identity is shared only when a token is given; etcd is shared.
      shared: !!etcd,
      alg: authOptions.serviceAccountSigningAlg,
      now: clock.now(),
      signingKey: opts.signingKey,
      log: (line) => console.log(line),
    });
    // The service account key (an RSA key on first start) is made in the thread pool meanwhile.
    const keys = serviceAccountKeys(join(opts.dataDir, 'pki'), authOptions.serviceAccountSigningAlg, authOptions.serviceAccountKeyFiles, opts.signingKey);
    keys.catch(() => undefined);

    const specific = !['0.0.0.0', '::', '127.0.0.1', '::1'].includes(opts.bindAddress) ? [opts.bindAddress] : [];
    let pki = await ensurePki(opts.dataDir, clock.now(), [KUBERNETES_SERVICE_IP, ...specific]);
    // The token authenticator looks objects up in the registry, which needs the resources, which
    // need the token authenticator (TokenReview): the lookup reads `registry` once it exists.
    // Metrics count stored objects through it too.
    let registry: Registry | undefined;
    const metrics = new ApiServerMetrics(() =>
      Promise.all(registry!.storedResources().map(async (s) => ({ group: s.def.group, resource: s.def.resource, count: await s.count().catch(() => -1) }))),
    );
    const timed = instrumented(backend, recordStorageRequests(metrics, () => registry));
    // On etcd, one etcd watch per resource serves every watch of it (SQLite's watches are in process already).
    const storage = etcd ? new WatchCache(timed) : timed;

    const auditor = opts.audit && startAuditor(opts.audit, metrics);
    if (auditor) cleanup.unshift(() => auditor.close());

    const tls = (p: ClusterPki) => ({ key: p.serving.key, cert: p.serving.cert, ca: p.ca.cert });
    const api = await listenApi({ port: opts.port, bindAddress: opts.bindAddress, tls: tls(pki), requestTimeoutMs: opts.requestTimeoutMs, headersTimeoutMs: opts.headersTimeoutMs });
    cleanup.unshift(() => api.close());
    if (opts.runtime === 'process') {
      // Pods of the process runtime reach the API at a loopback address of this port (see
      // node/runtime/process.ts): the serving certificate must name it.
      const { loopbackServiceHost } = await import('./node/runtime/process.js');
      pki = await ensurePki(opts.dataDir, clock.now(), [KUBERNETES_SERVICE_IP, ...specific, loopbackServiceHost(api.port)]);
      api.setTls(tls(pki));
    }

    const internal = () => new LocalClient(registry!, apiserverUser, clock, random);
    const tokenUsed = (kind: 'legacy' | 'stale' | 'valid') => ({ legacy: metrics.legacyTokens, stale: metrics.staleTokens, valid: metrics.validTokens })[kind].inc([]);
    const auth = buildAuth(authOptions, await keys, api.url, clock, lookupIn(() => internal()), (secret, today) => markLegacyTokenUsed(internal(), secret, today), tokenUsed);
    dataDir.markInitialised(); // the certificates, the signing key and state.db all exist now
    const authz = createAuthorization();
    const admission = new AdmissionChain();
    // The node agent starts last; pods/log and pods/exec look it up per request.
    let podStreams: PodStreams | undefined;
    let resourceUsage: ResourceUsage | undefined;
    registry = new Registry(
      allResources({
        podStreams: () => podStreams,
        resourceUsage: () => resourceUsage,
        tokenRequest: { issuer: auth.issuer, apiAudiences: authOptions.apiAudiences, maxExpirationSeconds: authOptions.serviceAccountMaxTokenExpirationSeconds, extendExpiration: authOptions.serviceAccountExtendTokenExpiration },
        tokenAuthenticator: auth.tokens,
        authorizer: authz.authorizer,
        rbac: authz.rbac,
        compileSchemaRules,
      }),
      storage,
      admission,
    );
    for (const s of bodySchemas()) registry.addBodySchema(s);
    // Keys an earlier Badge stored elsewhere than kube-apiserver does move first (registry.defs are the built-ins yet).
    await moveToKubeLayout(backend, registry.defs, (line) => console.log(`badge: ${line}`));
    const client = internal();
    // ValidatingAdmissionPolicy reads through the shared informers, made below: it starts with them.
    const policies = validatingAdmissionPolicy({ authorizer: authz.authorizer, served: () => registry!.served(), client: client.withFieldManager('kube-apiserver') });
    // So do NamespaceLifecycle, ServiceAccount, Priority, DefaultStorageClass, DefaultIngressClass, LimitRanger and ResourceQuota (last, as upstream orders it: it charges what passed every other check).
    const limits = limitRanger();
    const namespaces = namespaceLifecycle(client);
    const accounts = serviceAccountAdmission(client);
    const priorities = priorityAdmission(client);
    const storageClasses = defaultStorageClass(client);
    const ingressClasses = defaultIngressClass(client);
    const quotas = resourceQuotaAdmission(client.withFieldManager('kube-apiserver'));
    // The webhooks come last in their phases (MutatingAdmissionWebhook after the built-in mutations,
    // ValidatingAdmissionWebhook after ValidatingAdmissionPolicy), as kube-apiserver orders its plugins.
    // Webhooks and APIServices reach their Services' endpoints (pods through the node agent).
    const dial = serviceDialer({ client, podStreams: () => podStreams });
    const webhookOptions: WebhookOptions = { authorizer: authz.authorizer, served: () => registry!.served(), serviceDial: dial, applyJsonPatch };
    const mutatingWebhooks = mutatingAdmissionWebhook(webhookOptions);
    const validatingWebhooks = validatingAdmissionWebhook(webhookOptions);
    admission.use(namespaces, limits, accounts, priorities, defaultTolerationSeconds, storageClasses, storageObjectInUseProtection(), ingressClasses, certificateApproval(authz.authorizer), certificateSigning(authz.authorizer), certificateSubjectRestriction, rbacEscalation(authz.authorizer, authz.rbac, authz.index), mutatingWebhooks, policies, validatingWebhooks, quotas);

    let ready = false;
    let policyReady = false;
    let closing = false;
    // The group versions other servers serve through APIServices, once the informers exist.
    let remote: RemoteApis | undefined;
    api.serve({
      registry,
      authenticator: auth.request,
      authorizer: authz.authorizer,
      oidc: auth.oidc,
      clock,
      random,
      inFlight: opts.inFlight,
      health: [
        { name: 'ping', problem: () => undefined },
        { name: 'log', problem: () => undefined },
        { name: 'etcd', problem: () => etcd?.problem() },
        { name: 'etcd-readiness', problem: () => etcd?.problem(), readinessOnly: true },
        { name: 'informer-sync', problem: () => (ready ? undefined : 'informers not started yet'), readinessOnly: true },
        { name: 'poststarthook/rbac/bootstrap-roles', problem: () => (policyReady ? undefined : 'not finished') },
        { name: 'shutdown', problem: () => (closing ? 'process is shutting down' : undefined), readinessOnly: true },
      ],
      remoteApis: () => remote,
      metrics,
      auditor,
      explainForbidden: opts.explainForbidden ? authz.index : undefined,
    });

    const apiHostIp = api.urlHost.startsWith('[') || api.urlHost === 'localhost' ? '127.0.0.1' : api.urlHost;
    // One list and watch per resource for the whole process: the controllers, the RBAC policy
    // index and the node agent all read the same caches.
    const informers = new InformerFactory(client);
    cleanup.unshift(() => informers.stop());
    // Custom resources, served from the CustomResourceDefinitions as they come and go.
    const customResources = serveCustomResources(registry, informers, { celRules: (schema, obj, old, warnings) => validateCelRules(schema, obj, old, { warnings }) });
    await Promise.all([policies.start(informers), namespaces.start(informers), accounts.start(informers), priorities.start(informers), storageClasses.start(informers), ingressClasses.start(informers), limits.start(informers), quotas.start(informers), mutatingWebhooks.start(informers), validatingWebhooks.start(informers)]);
    // APIServices are reached with the front proxy's certificate.
    remote = remoteApis({ informers, dial, proxyClient: pki.frontProxyClient });
    const nodeName = opts.nodeName ?? defaultNodeName();
    // The controller manager and the scheduler run where their leader lease is held (a lone server: here, at once).
    const controllers = await startControllers({
      client,
      informers,
      clock,
      random,
      resources: registry.served(),
      served: () => registry!.served(),
      onServedChange: (listener) => registry!.onChange(listener),
      serviceIp: KUBERNETES_SERVICE_IP,
      apiPort: api.port,
      identity: serverIdentity(opts.dataDir, nodeName, random),
      nodeName,
      leaderElection: opts.leaderElection,
      rootCA: pki.ca.cert,
      signLegacyToken: (namespace, sa, secretName) => auth.legacyIssuer.sign(legacyClaims(namespace, sa, secretName)),
      signCertificateRequest: csrSigner(pki.ca, () => clock.now()),
      legacyTokenCleanUpPeriodSeconds: opts.legacyTokenCleanUpPeriodSeconds ?? 365 * 24 * 3600,
      nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs,
      apiServiceProbe: async (s, path) => (await getFromApiService(dial, s, pki.frontProxyClient, path)).status,
      localVolumes: { nodeName, volumes: localVolumes(opts.dataDir) },
    });
    cleanup.unshift(() => controllers.stop());
    // The kubernetes Service's Endpoints: this server among the others (it needs the default namespace).
    const endpoints = kubernetesEndpoints({ storage, client: client.withFieldManager('kube-apiserver'), ip: apiHostIp, port: api.port });
    await endpoints.start();
    cleanup.unshift(() => endpoints.stop());
    // The bootstrap policy needs the system namespaces, which the controllers have made.
    await authz.start(client, informers);
    policyReady = true;
    await customResources.synced;
    const compactionIntervalMs = opts.compactionIntervalMs ?? 5 * 60_000;
    const compactor = etcd ? startEtcdCompactor(etcd, compactionIntervalMs) : startCompactor(storage, compactionIntervalMs);
    cleanup.unshift(() => compactor.stop());
    // The node agent comes last: it needs the namespaces, the kubernetes Service and kube-root-ca.crt.
    const node = await startNodeAgent({
      client: client.withFieldManager('kubelet'),
      informers,
      clock,
      dataDir: opts.dataDir,
      nodeName,
      runtime: opts.runtime ?? 'simulated',
      secretFiles: [...(authOptions.tokenAuthFile ? [authOptions.tokenAuthFile] : []), ...authOptions.serviceAccountKeyFiles],
      apiServer: { host: apiHostIp, port: api.port },
      syncIntervalMs: opts.nodeSyncIntervalMs,
    });
    cleanup.unshift(() => node.stop());
    podStreams = node;
    resourceUsage = node.usage;
    ready = true;

    const kubeconfigPath = join(opts.dataDir, 'kubeconfig.yaml');
    writeKubeconfig(kubeconfigPath, api.url, pki.ca.cert, pki.admin);
    return {
      url: api.url,
      port: api.port,
      kubeconfigPath,
      pki,
      auth,
      registry,
      storage,
      node,
      close: async () => {
        closing = true;
        for (const c of cleanup.splice(0)) await c();
      },
    };
  } catch (err) {
    for (const c of cleanup.splice(0)) await c();
    throw err;
  }
}

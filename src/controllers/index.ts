// Starts the controllers that run inside the server: kube-apiserver's in every server, and
// kube-controller-manager's and kube-scheduler's in the server that holds their leader lease
// (kube-system/kube-controller-manager, kube-system/kube-scheduler; see leader-election.ts).
import { hostname } from 'node:os';
import type { Clock, Random } from '../api/clock.js';
import type { Client, ResourceRef, ServedResource } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { apiServerIdentity } from './apiserver-identity.js';
import { apiServiceAvailability, type DiscoveryProbe } from './apiservice-availability.js';
import { apiServiceRegistration } from './apiservice-registration.js';
import { authenticationTrust } from './authentication-trust.js';
import { clusterRoleAggregation } from './clusterrole-aggregation.js';
import { crdFinalizer } from './crd-finalizer.js';
import { cronJobController } from './cronjob.js';
import { csrCleaner } from './csr-cleaner.js';
import { csrSigningController, type SignRequest } from './csr-signing.js';
import { crdStatusController } from './crd-status.js';
import { daemonSetController } from './daemonset.js';
import { deploymentController } from './deployment.js';
import { disruptionController } from './disruption.js';
import { endpointsController } from './endpoints.js';
import { endpointSliceController } from './endpointslice.js';
import { eventRecorder } from './events.js';
import { garbageCollector } from './garbage-collector.js';
import { hpaController } from './horizontal-pod-autoscaler.js';
import { jobController } from './job.js';
import { LeaderElector, type LeaderElectionConfig } from './leader-election.js';
import { DEFAULT_CLEAN_UP_PERIOD_SECONDS, legacyTokens } from './legacy-tokens.js';
import { namespaceController } from './namespace.js';
import { nodeLifecycleController } from './node-lifecycle.js';
import { persistentVolumeController } from './persistent-volume.js';
import { replicaSetController, replicationManager } from './replicaset.js';
import { resourceQuotaController } from './resource-quota.js';
import { rootCaPublisher } from './root-ca.js';
import { scheduler } from './scheduler.js';
import { serviceAccountsController } from './serviceaccounts.js';
import { statefulSetController } from './statefulset.js';
import { systemObjects } from './system-objects.js';
import { taintEvictionController } from './taint-eviction.js';
import { tokensController, type SignLegacyToken } from './tokens.js';
import { ttlAfterFinishedController } from './ttl-after-finished.js';
import { volumeProtectionController } from './volume-protection.js';
import type { LocalVolumes } from '../api/storage-classes.js';

export interface ControllerDeps {
  client: Client;
  /** The process's shared informers: every controller reads through them. */
  informers: InformerFactory;
  clock: Clock;
  random: Random;
  /** The resources the server serves. */
  resources: ServedResource[];
  /** The resources served now (custom resources come and go); `resources` when absent. */
  served?: () => ServedResource[];
  /** Calls the listener after each change of the served resources; answers the function that stops it. */
  onServedChange?: (listener: () => void) => () => void;
  serviceIp: string;
  apiPort: number;
  /** Who this server is in leader elections (`<node name>_<id>`). */
  identity: string;
  /** The node name this server runs under: the host its identity Lease names. */
  nodeName: string;
  /** Leader election timings and time source (tests); client-go's defaults otherwise. */
  leaderElection?: Pick<LeaderElectionConfig, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs' | 'timers' | 'random'>;
  /** The cluster CA (PEM): the kube-root-ca.crt ConfigMaps and ca.crt of token Secrets. */
  rootCA: string;
  /** Signs the legacy token of a ServiceAccount's token Secret (issuer kubernetes/serviceaccount). */
  signLegacyToken: SignLegacyToken;
  /** Issues the certificates of approved kubernetes.io/kube-apiserver-client requests with the cluster CA. */
  signCertificateRequest?: SignRequest;
  /** --legacy-service-account-token-clean-up-period, seconds (default one year). */
  legacyTokenCleanUpPeriodSeconds?: number;
  /** Clock time between legacy token clean-ups (24 h) and the real-time tick that checks it (1 s). */
  legacyTokenCleanerSyncIntervalMs?: number;
  legacyTokenCleanerTickMs?: number;
  /** The host name the scheduler reports its events from (default: this machine's). */
  hostname?: string;
  /** The discovery check of APIServices served by a Service (none: not checked). */
  apiServiceProbe?: DiscoveryProbe;
  /** --node-monitor-grace-period, ms (50 s). */
  nodeMonitorGracePeriodMs?: number;
  /** The local provisioner's node and directories; without it no PersistentVolume controller runs. */
  localVolumes?: { nodeName: string; volumes: LocalVolumes };
}

interface Running {
  start(): Promise<void>;
  stop(): void;
}

/** What runs while its leader lease is held: the controllers `make` builds over a scope of the shared informers. */
function elected(deps: ControllerDeps, name: string, make: (informers: InformerFactory) => Running[]): LeaderElector {
  let running: { scope: InformerFactory; controllers: Running[] } | undefined;
  const component = name;
  const recorder = eventRecorder({ client: deps.client.withFieldManager(component), clock: deps.clock });
  return new LeaderElector({
    ...deps.leaderElection,
    client: deps.client.withFieldManager(component),
    namespace: 'kube-system',
    name,
    identity: deps.identity,
    clock: deps.clock,
    async onStartedLeading() {
      const scope = deps.informers.scope();
      running = { scope, controllers: make(scope) };
      // Every informer the controllers asked for lists at once; each controller waits for its own.
      scope.start();
      for (const c of running.controllers) await c.start();
    },
    onStoppedLeading() {
      running?.controllers.forEach((c) => c.stop());
      running?.scope.stop();
      running = undefined;
    },
    recordEvent: (lease, message) => void recorder.record(lease, 'Normal', 'LeaderElection', message, component),
  });
}

/**
 * Starts the controllers: kube-apiserver's own at once (every server runs them), and the controller
 * manager's and the scheduler's each under its leader lease (one server of several runs them).
 * Resolves once this server's first election rounds are over (a lone server leads at once).
 */
export async function startControllers(deps: ControllerDeps): Promise<{ stop(): Promise<void> }> {
  const stored = deps.resources.filter((r) => r.stored);
  const has = (group: string, resource: string) => stored.some((d) => d.group === group && d.resource === resource);
  const refOf = (d: ServedResource) => ({ group: d.group, version: d.version, resource: d.resource });
  const { informers } = deps;
  // Writes are recorded under the component that makes them upstream (its User-Agent's first word).
  const apiserverClient = deps.client.withFieldManager('kube-apiserver');
  const apiserver: Running[] = [
    systemObjects({ client: apiserverClient, hasPriorityClasses: has('scheduling.k8s.io', 'priorityclasses'), hasServices: has('', 'services'), serviceIp: deps.serviceIp, apiPort: deps.apiPort }),
  ];
  if (has('coordination.k8s.io', 'leases')) apiserver.push(apiServerIdentity({ client: apiserverClient, clock: deps.clock, random: deps.random, host: deps.nodeName }));
  // CustomResourceDefinitions: their names and conditions, and the clean-up of deleted ones.
  if (has('apiextensions.k8s.io', 'customresourcedefinitions')) {
    const apiextensions = { client: apiserverClient, informers, clock: deps.clock };
    apiserver.push(crdStatusController(apiextensions), crdFinalizer(apiextensions));
  }
  // APIServices: the Local ones of what this server serves, and the availability of all.
  if (has('apiregistration.k8s.io', 'apiservices')) {
    const aggregator = { client: deps.client, informers, clock: deps.clock };
    apiserver.push(authenticationTrust({ client: apiserverClient, informers, rootCA: deps.rootCA }));
    apiserver.push(apiServiceRegistration({ ...aggregator, resources: deps.resources, crds: has('apiextensions.k8s.io', 'customresourcedefinitions') }));
    if (has('', 'services') && has('', 'endpoints')) apiserver.push(apiServiceAvailability({ ...aggregator, probe: deps.apiServiceProbe }));
  }
  informers.start();
  for (const c of apiserver) await c.start();
  if (!has('coordination.k8s.io', 'leases')) throw new Error('the controllers need leases (coordination.k8s.io) for their leader election');
  const electors = [elected(deps, 'kube-controller-manager', (scope) => controllerManager(deps, scope, has, refOf))];
  if (has('', 'pods') && has('', 'events') && has('', 'nodes') && deps.resources.some((d) => d.group === 'events.k8s.io' && d.resource === 'events')) {
    electors.push(elected(deps, 'kube-scheduler', (scope) => [scheduler({ client: deps.client.withFieldManager('kube-scheduler'), informers: scope, clock: deps.clock, host: deps.hostname ?? hostname(), claims: has('', 'persistentvolumeclaims') && has('storage.k8s.io', 'storageclasses') })]));
  }
  await Promise.all(electors.map((e) => e.start()));
  return {
    async stop() {
      await Promise.all(electors.map((e) => e.stop()));
      apiserver.forEach((c) => c.stop());
    },
  };
}

/** kube-controller-manager's controllers, where their resources are served. */
function controllerManager(deps: ControllerDeps, informers: InformerFactory, has: (group: string, resource: string) => boolean, refOf: (d: ServedResource) => ResourceRef): Running[] {
  const client = deps.client.withFieldManager('kube-controller-manager');
  const controllers: Running[] = [
    namespaceController({ client, informers, namespacedResources: () => (deps.served?.() ?? deps.resources).filter((d) => d.stored && d.namespaced).map(refOf) }),
    garbageCollector({
      client,
      informers,
      resources: () =>
        (deps.served?.() ?? deps.resources)
          .filter((d) => d.stored && !(d.group === '' && d.resource === 'events'))
          .map((d) => ({ ...refOf(d), kind: d.kind, namespaced: d.namespaced })),
      onResourcesChange: deps.onServedChange,
    }),
    serviceAccountsController({ client, informers }),
    rootCaPublisher({ client, informers, rootCA: deps.rootCA }),
    tokensController({ client, informers, sign: deps.signLegacyToken, rootCA: deps.rootCA }),
    clusterRoleAggregation({ client, informers }),
    legacyTokens({
      client,
      informers,
      clock: deps.clock,
      cleanUpPeriodSeconds: deps.legacyTokenCleanUpPeriodSeconds ?? DEFAULT_CLEAN_UP_PERIOD_SECONDS,
      syncIntervalMs: deps.legacyTokenCleanerSyncIntervalMs,
      tickMs: deps.legacyTokenCleanerTickMs,
    }),
  ];
  if (has('', 'resourcequotas')) controllers.push(resourceQuotaController({ client, informers, clock: deps.clock, served: () => deps.served?.() ?? deps.resources }));
  // CertificateSigningRequests: the kube-apiserver-client signer and the cleaner.
  if (has('certificates.k8s.io', 'certificatesigningrequests')) {
    if (deps.signCertificateRequest) controllers.push(csrSigningController({ client, informers, clock: deps.clock, sign: deps.signCertificateRequest }));
    controllers.push(csrCleaner({ client, informers, clock: deps.clock }));
  }
  // The workload controllers, where their resources are served.
  const recorder = eventRecorder({ client, clock: deps.clock });
  const workloads = { client, informers, clock: deps.clock, recorder };
  if (has('', 'pods') && has('', 'events')) {
    if (has('apps', 'replicasets')) controllers.push(replicaSetController(workloads));
    if (has('', 'replicationcontrollers')) controllers.push(replicationManager(workloads));
    if (has('apps', 'deployments') && has('apps', 'replicasets')) controllers.push(deploymentController(workloads));
    if (has('batch', 'jobs')) controllers.push(jobController(workloads));
    if (has('apps', 'daemonsets') && has('apps', 'controllerrevisions') && has('', 'nodes')) controllers.push(daemonSetController(workloads));
    if (has('apps', 'statefulsets') && has('apps', 'controllerrevisions') && has('', 'persistentvolumeclaims')) controllers.push(statefulSetController(workloads));
    if (has('batch', 'cronjobs') && has('batch', 'jobs')) controllers.push(cronJobController(workloads));
    if (has('batch', 'jobs')) controllers.push(ttlAfterFinishedController(workloads));
    if (has('policy', 'poddisruptionbudgets') && has('apps', 'deployments') && has('apps', 'replicasets') && has('apps', 'statefulsets')) controllers.push(disruptionController(workloads));
    if (has('', 'nodes') && has('coordination.k8s.io', 'leases')) {
      controllers.push(nodeLifecycleController({ ...workloads, gracePeriodMs: deps.nodeMonitorGracePeriodMs }), taintEvictionController(workloads));
    }
    if (has('', 'services') && has('', 'endpoints')) controllers.push(endpointsController({ client, informers }));
    if (has('', 'services') && has('', 'nodes') && has('discovery.k8s.io', 'endpointslices')) controllers.push(endpointSliceController({ client, informers }));
    if (has('', 'persistentvolumes') && has('', 'persistentvolumeclaims')) {
      controllers.push(volumeProtectionController({ client, informers }));
      if (deps.localVolumes && has('storage.k8s.io', 'storageclasses')) {
        controllers.push(persistentVolumeController({ client, informers, recorder, nodeName: deps.localVolumes.nodeName, local: deps.localVolumes.volumes }));
      }
    }
    if (has('autoscaling', 'horizontalpodautoscalers')) controllers.push(hpaController({ ...workloads, resources: () => deps.served?.() ?? deps.resources }));
  }
  return controllers;
}

// Starts the controllers that run inside the server.
import { hostname } from 'node:os';
import type { Clock, Random } from '../api/clock.js';
import type { Client, ServedResource } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
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
import { DEFAULT_CLEAN_UP_PERIOD_SECONDS, legacyTokens } from './legacy-tokens.js';
import { namespaceController } from './namespace.js';
import { persistentVolumeController } from './persistent-volume.js';
import { replicaSetController, replicationManager } from './replicaset.js';
import { resourceQuotaController } from './resource-quota.js';
import { rootCaPublisher } from './root-ca.js';
import { scheduler } from './scheduler.js';
import { serviceAccountsController } from './serviceaccounts.js';
import { statefulSetController } from './statefulset.js';
import { systemObjects } from './system-objects.js';
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
  apiHostIp: string;
  apiPort: number;
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
  /** The local provisioner's node and directories; without it no PersistentVolume controller runs. */
  localVolumes?: { nodeName: string; volumes: LocalVolumes };
}

interface Running {
  start(): Promise<void>;
  stop(): void;
}

export async function startControllers(deps: ControllerDeps): Promise<{ stop(): void }> {
  const stored = deps.resources.filter((r) => r.stored);
  const has = (group: string, resource: string) => stored.some((d) => d.group === group && d.resource === resource);
  const refOf = (d: ServedResource) => ({ group: d.group, version: d.version, resource: d.resource });
  const { informers } = deps;
  // Writes are recorded under the component that makes them upstream (its User-Agent's first word).
  const client = deps.client.withFieldManager('kube-controller-manager');
  const controllers: Running[] = [
    systemObjects({ client: deps.client.withFieldManager('kube-apiserver'), hasPriorityClasses: has('scheduling.k8s.io', 'priorityclasses'), hasServices: has('', 'services') && has('', 'endpoints'), serviceIp: deps.serviceIp, apiHostIp: deps.apiHostIp, apiPort: deps.apiPort }),
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
  // CustomResourceDefinitions: their names and conditions, and the clean-up of deleted ones.
  if (has('apiextensions.k8s.io', 'customresourcedefinitions')) {
    const apiextensions = { client: deps.client.withFieldManager('kube-apiserver'), informers, clock: deps.clock };
    controllers.push(crdStatusController(apiextensions), crdFinalizer(apiextensions));
  }
  // APIServices: the Local ones of what this server serves, and the availability of all.
  if (has('apiregistration.k8s.io', 'apiservices')) {
    const aggregator = { client: deps.client, informers, clock: deps.clock };
    controllers.push(authenticationTrust({ client: deps.client.withFieldManager('kube-apiserver'), informers, rootCA: deps.rootCA }));
    controllers.push(apiServiceRegistration({ ...aggregator, resources: deps.resources, crds: has('apiextensions.k8s.io', 'customresourcedefinitions') }));
    if (has('', 'services') && has('', 'endpoints')) controllers.push(apiServiceAvailability({ ...aggregator, probe: deps.apiServiceProbe }));
  }
  // The workload controllers and the scheduler, where their resources are served.
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
    if (has('', 'services') && has('', 'endpoints')) controllers.push(endpointsController({ client, informers }));
    if (has('', 'services') && has('', 'nodes') && has('discovery.k8s.io', 'endpointslices')) controllers.push(endpointSliceController({ client, informers }));
    if (has('', 'persistentvolumes') && has('', 'persistentvolumeclaims')) {
      controllers.push(volumeProtectionController({ client, informers }));
      if (deps.localVolumes && has('storage.k8s.io', 'storageclasses')) {
        controllers.push(persistentVolumeController({ client, informers, recorder, nodeName: deps.localVolumes.nodeName, local: deps.localVolumes.volumes }));
      }
    }
    if (has('autoscaling', 'horizontalpodautoscalers')) controllers.push(hpaController({ ...workloads, resources: () => deps.served?.() ?? deps.resources }));
    if (has('', 'nodes') && deps.resources.some((d) => d.group === 'events.k8s.io' && d.resource === 'events')) controllers.push(scheduler({ client: deps.client.withFieldManager('kube-scheduler'), informers, clock: deps.clock, host: deps.hostname ?? hostname(), claims: has('', 'persistentvolumeclaims') && has('storage.k8s.io', 'storageclasses') }));
  }
  // Every informer the controllers asked for lists at once; each controller waits for its own.
  informers.start();
  for (const c of controllers) await c.start();
  return { stop: () => controllers.forEach((c) => c.stop()) };
}

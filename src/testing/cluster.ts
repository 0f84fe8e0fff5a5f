// For controller tests: a registry over a temporary SQLite file with the workload resources and
// ServiceAccount, Priority and DefaultTolerationSeconds admission, an in-process client on a
// manual clock, the shared informers, a node agent on a scripted runtime when a test wants pods to
// run, and a way to wait.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, systemRandom } from '../api/clock.js';
import type { Event } from '../api/kinds.js';
import { priorityAdmission } from '../admission/priority.js';
import { defaultTolerationSeconds } from '../admission/default-toleration-seconds.js';
import { serviceAccountAdmission } from '../admission/serviceaccount.js';
import type { TokenIssuer } from '../auth/tokens/issuer.js';
import { apiserverUser } from '../api/user.js';
import { R } from '../client/client.js';
import { InformerFactory } from '../client/informer-factory.js';
import { startNodeAgent, type NodeAgent } from '../node/agent.js';
import type { Runtime } from '../node/runtime/runtime.js';
import { LocalClient } from '../registry/local-client.js';
import { AdmissionChain } from '../admission/chain.js';
import { Registry } from '../registry/registry.js';
import { certificateSigningRequests } from '../registry/resources/certificatesigningrequests.js';
import { configmaps } from '../registry/resources/configmaps.js';
import { controllerrevisions } from '../registry/resources/controllerrevisions.js';
import { daemonsets } from '../registry/resources/daemonsets.js';
import { persistentvolumeclaims } from '../registry/resources/persistentvolumeclaims.js';
import { persistentvolumes } from '../registry/resources/persistentvolumes.js';
import { storageclasses } from '../registry/resources/storageclasses.js';
import { statefulsets } from '../registry/resources/statefulsets.js';
import { deployments } from '../registry/resources/deployments.js';
import { events } from '../registry/resources/events.js';
import { eventsV1 } from '../registry/resources/events-v1.js';
import { cronjobs } from '../registry/resources/cronjobs.js';
import { jobs } from '../registry/resources/jobs.js';
import { priorityclasses } from '../registry/resources/priorityclasses.js';
import { leases } from '../registry/resources/leases.js';
import { limitranges } from '../registry/resources/limitranges.js';
import { namespaces } from '../registry/resources/namespaces.js';
import { nodes } from '../registry/resources/nodes.js';
import { podDisruptionBudgets } from '../registry/resources/poddisruptionbudgets.js';
import { pods } from '../registry/resources/pods.js';
import { horizontalpodautoscalers } from '../registry/resources/horizontalpodautoscalers.js';
import { replicasets } from '../registry/resources/replicasets.js';
import { resourcequotas } from '../registry/resources/resourcequotas.js';
import { replicationcontrollers } from '../registry/resources/replicationcontrollers.js';
import { secrets } from '../registry/resources/secrets.js';
import { serviceaccounts } from '../registry/resources/serviceaccounts.js';
import { services } from '../registry/resources/services.js';
import { endpoints } from '../registry/resources/endpoints.js';
import { endpointslices } from '../registry/resources/endpointslices.js';
import { apiServices } from '../registry/resources/apiservices.js';
import { T0 } from '../registry/resources/testing.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { eventRecorder, type EventRecorder } from '../controllers/events.js';

export interface TestCluster {
  registry: Registry;
  /** ServiceAccount, Priority and DefaultTolerationSeconds admission; a test adds the plugins it tests. */
  admission: AdmissionChain;
  client: LocalClient;
  clock: ManualClock;
  /** The shared informers the controllers under test read (stopped by close). */
  informers: InformerFactory;
  recorder: EventRecorder;
  /** Starts a node agent (node-a) that runs pods on `runtime`, syncing every 50 ms (stopped by close). */
  startNode(runtime: Runtime): Promise<NodeAgent>;
  /** Polls `check` (real time) until it returns something truthy. */
  until<T>(what: string, check: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs?: number): Promise<T>;
  /** The core/v1 Events about an object, oldest first. */
  eventsFor(kind: string, name: string, namespace?: string): Promise<Event[]>;
  close(): Promise<void>;
}

export async function testCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-controllers-'));
  const storage = new SqliteStorage(join(dir, 'state.db'));
  const admission = new AdmissionChain();
  // Tokens a node agent asks for: claims in a JWT's shape, unsigned.
  const issuer = { sign: async (claims: object) => `header.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig` } as unknown as TokenIssuer;
  const tokenRequest = { issuer, apiAudiences: ['https://kubernetes.default.svc.cluster.local'], maxExpirationSeconds: 0, extendExpiration: true };
  const registry = new Registry([namespaces, configmaps, secrets, serviceaccounts(tokenRequest), services, pods, nodes, leases, events, eventsV1, replicasets, replicationcontrollers, deployments, jobs, cronjobs, priorityclasses, podDisruptionBudgets, daemonsets, statefulsets, persistentvolumeclaims, persistentvolumes, storageclasses, controllerrevisions, resourcequotas, limitranges, horizontalpodautoscalers, endpoints, endpointslices, certificateSigningRequests, apiServices], storage, admission);
  const clock = new ManualClock(T0);
  const client = new LocalClient(registry, apiserverUser, clock, systemRandom);
  admission.use(serviceAccountAdmission(client), priorityAdmission(client), defaultTolerationSeconds);
  for (const name of ['default', 'kube-node-lease']) await client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await client.create(R.serviceaccounts, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  await client.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CA' } });
  const informers = new InformerFactory(client);
  const recorder = eventRecorder({ client, clock });
  const agents: NodeAgent[] = [];
  return {
    registry,
    admission,
    client,
    clock,
    informers,
    recorder,
    async startNode(runtime) {
      const agent = await startNodeAgent({ client, informers, clock, dataDir: dir, nodeName: 'node-a', runtime, apiServer: { host: '127.0.0.1', port: 6443 }, random: () => 0, syncIntervalMs: 50 });
      agents.push(agent);
      return agent;
    },
    async until(what, check, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await check();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async eventsFor(kind, name, namespace = 'default') {
      // Controllers record events after the writes a test waits for: read until two reads agree.
      let last = '';
      for (let i = 0; ; i++) {
        await recorder.flush();
        const { items } = await client.list(R.events, namespace);
        const mine = items
          .filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name)
          .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
        const seen = JSON.stringify(mine.map((e) => [e.metadata.name, e.count]));
        if (seen === last || i >= 50) return mine;
        last = seen;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const a of agents) await a.stop();
      informers.stop();
      storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

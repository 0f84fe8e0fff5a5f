// The node agent, embedded in `badge server` (the kubelet, in small). It registers this host as a
// Node and keeps it and its heartbeat Lease current (registration.ts); it reads the pods bound to
// the node from the shared pod informer and syncs each one in a work queue (pod-sync.ts, with
// containers.ts for their containers), every minute again to refresh volumes and tokens; it
// answers pods/log, exec, attach and portforward (streams.ts), and measures what the host and its
// containers use for the resource metrics API (usage/sampler.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Clock } from '../api/clock.js';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import type { ExecOptions, ExecStreams, LogOptions, PodStreams, PortForwarder } from '../api/node-streams.js';
import { isDNS1123Subdomain } from '../api/validation.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync, type SharedInformer } from '../client/informer.js';
import { NODE_NAME_INDEX, podsByNodeName } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { Containers } from './containers.js';
import { NodeEventRecorder, nodeRef, type EventSink } from './events.js';
import { machineInfo } from './node-object.js';
import { PodSync } from './pod-sync.js';
import { NodeRegistration } from './registration.js';
import type { ApiServerAddress, Runtime, RuntimeDeps } from './runtime/runtime.js';
import { NodeStreams } from './streams.js';
import { TokenManager } from './token-manager.js';
import { hostSample } from './usage/kernel.js';
import { UsageSampler } from './usage/sampler.js';
import { VolumeManager, type VolumeSources } from './volumes/volumes.js';

export interface NodeAgentOptions {
  client: Client;
  /** The process's shared informers: pods, ConfigMaps, Secrets and Services are read from them. */
  informers: InformerFactory;
  clock: Clock;
  /** The server's data dir: pods live under `<dataDir>/pods/<uid>`. */
  dataDir: string;
  nodeName: string;
  runtime: Runtime;
  /** Where processes on this host reach the API. */
  apiServer: ApiServerAddress;
  /** The node's InternalIP, and the hostIP of its pods (127.0.0.1). */
  hostIP?: string;
  /** How often every pod is synced again, refreshing volumes and tokens (the kubelet's 1 min). */
  syncIntervalMs?: number;
  /** How often the Lease is renewed and the node status checked (10 s). */
  heartbeatIntervalMs?: number;
  /** Clock time after which an unchanged node status is posted anyway (5 min). */
  nodeStatusReportMs?: number;
  /** Token refresh jitter source, [0, 1). */
  random?: () => number;
  events?: EventSink & { flush?(): Promise<void> };
}

export class NodeAgent implements PodStreams {
  readonly nodeName: string;
  private readonly pods: SharedInformer<Pod>;
  private readonly configMaps: SharedInformer<ConfigMap>;
  private readonly secrets: SharedInformer<Secret>;
  private readonly services: SharedInformer<Service>;
  private readonly claims: SharedInformer<PersistentVolumeClaim>;
  private readonly persistentVolumes: SharedInformer<PersistentVolume>;
  private readonly podsDir: string;
  private readonly events: EventSink & { flush?(): Promise<void> };
  private readonly tokens: TokenManager;
  private readonly volumes: VolumeManager;
  private readonly registration: NodeRegistration;
  private readonly podSync: PodSync;
  private readonly streams: NodeStreams;
  /** The figures of the resource metrics API (the ResourceUsage contract). */
  readonly usage: UsageSampler;
  private readonly queue: WorkQueue;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(private readonly opts: NodeAgentOptions) {
    const { client, clock, informers, runtime } = opts;
    const hostIP = opts.hostIP ?? '127.0.0.1';
    const machine = machineInfo(opts.dataDir);
    this.nodeName = opts.nodeName;
    this.podsDir = join(opts.dataDir, 'pods');
    this.pods = informers.forResource(R.pods);
    this.pods.addIndex(NODE_NAME_INDEX, podsByNodeName);
    this.configMaps = informers.forResource(R.configmaps);
    this.secrets = informers.forResource(R.secrets);
    this.services = informers.forResource(R.services);
    this.claims = informers.forResource(R.persistentvolumeclaims);
    this.persistentVolumes = informers.forResource(R.persistentvolumes);
    this.events = opts.events ?? new NodeEventRecorder(client, clock, opts.nodeName);
    this.tokens = new TokenManager(client, { clock, random: opts.random });
    this.volumes = new VolumeManager(this.podsDir, () => clock.now(), opts.dataDir);
    this.queue = new WorkQueue(`node ${opts.nodeName}`, (uid) => (this.stopped ? Promise.resolve() : this.podSync.sync(uid)), 500, 30_000);
    const requeue = (uid: string, afterMs?: number) => (afterMs === undefined ? this.queue.add(uid) : this.queue.addAfter(uid, afterMs));
    this.registration = new NodeRegistration({
      client,
      clock,
      identity: { name: opts.nodeName, hostname: opts.nodeName, internalIP: hostIP, runtimeName: runtime.name },
      machine,
      events: this.events,
      nodeStatusReportMs: opts.nodeStatusReportMs,
    });
    const nodeAllocatable = { cpu: String(machine.cpu), memory: String(machine.memoryBytes), 'ephemeral-storage': String(machine.storageBytes) };
    const configMap = (ns: string, name: string) => this.configMaps.get(ns, name);
    const secret = (ns: string, name: string) => this.secrets.get(ns, name);
    const containers = new Containers({
      runtime,
      clock,
      events: this.events,
      podsDir: this.podsDir,
      apiServer: opts.apiServer,
      hostIP,
      nodeAllocatable,
      configMap,
      secret,
      services: () => this.services.list(),
      requeue,
    });
    const volumeSources: VolumeSources = {
      configMap,
      secret,
      claim: (ns, name) => this.claims.get(ns, name),
      persistentVolume: (name) => this.persistentVolumes.get('', name),
      nodeAllocatable,
      token: async (pod, source) => {
        const tr = await this.tokens.getServiceAccountToken(pod.metadata.namespace ?? '', pod.spec?.serviceAccountName ?? '', {
          audiences: source.audience ? [source.audience] : undefined,
          expirationSeconds: source.expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! },
        });
        return tr.status.token;
      },
    };
    const pods = () => this.pods.byIndex(NODE_NAME_INDEX, opts.nodeName);
    this.podSync = new PodSync({ client, clock, runtime, events: this.events, containers, tokens: this.tokens, volumes: this.volumes, volumeSources, hostIP, pods, requeue });
    this.streams = new NodeStreams({ client, clock, nodeName: opts.nodeName, runtime, pods: this.pods, podsDir: this.podsDir, record: (uid) => this.podSync.record(uid) });
    this.usage = new UsageSampler({
      clock,
      nodeName: opts.nodeName,
      pods: () => this.podSync.records(),
      ...(runtime.usage ? { measure: (h) => runtime.usage!(h) } : {}),
      host: () => hostSample(),
      events: this.events,
    });
  }

  async start(): Promise<void> {
    mkdirSync(this.podsDir, { recursive: true, mode: 0o750 });
    this.opts.informers.start();
    await waitForSync(this.configMaps, this.secrets, this.services, this.claims, this.persistentVolumes);
    this.events.event(nodeRef(this.nodeName), 'Normal', 'Starting', 'Starting kubelet.');
    await this.registration.register();
    this.events.event(nodeRef(this.nodeName), 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    await this.registration.renewLease().catch((err) => console.error(`badge: node: lease: ${(err as Error).message}`));

    // A ConfigMap or Secret that changes may be one a pod of its namespace needs.
    const namespaceChanged = (o: KubeObject) => {
      for (const uid of this.podSync.podUIDs(o.metadata.namespace ?? '')) this.queue.add(uid);
    };
    for (const inf of [this.configMaps, this.secrets, this.claims]) inf.on({ add: namespaceChanged, update: (_, o) => namespaceChanged(o), delete: namespaceChanged });

    await this.pods.waitForSync();
    const mine = (p: Pod) => p.spec?.nodeName === this.nodeName;
    const observe = (p: Pod) => {
      this.podSync.observe(p);
      this.queue.add(p.metadata.uid!);
    };
    const gone = (p: Pod) => {
      this.podSync.forget(p);
      this.queue.add(p.metadata.uid!);
    };
    this.pods.on({
      add: (p) => mine(p) && observe(p),
      update(old, p) {
        // A relist may show a pod of the same name that is another pod (a new uid).
        if (mine(old) && old.metadata.uid !== p.metadata.uid) gone(old);
        if (mine(p)) observe(p);
      },
      delete: (p) => mine(p) && gone(p),
    });
    // Pods deleted while the agent was away leave directories behind.
    const known = new Set(this.podSync.podUIDs());
    for (const uid of this.volumes.podUIDs()) if (!known.has(uid)) this.volumes.remove(uid);

    const heartbeat = setInterval(() => {
      if (!this.stopped) void this.registration.heartbeat();
    }, this.opts.heartbeatIntervalMs ?? 10_000);
    const resync = setInterval(() => {
      this.tokens.cleanup();
      for (const uid of this.podSync.podUIDs()) this.queue.add(uid);
    }, this.opts.syncIntervalMs ?? 60_000);
    heartbeat.unref();
    resync.unref();
    this.timers.push(heartbeat, resync);
    this.usage.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.usage.stop();
    this.queue.stop();
    await this.podSync.stopAll();
    await this.opts.runtime.close?.();
    await this.events.flush?.();
  }

  logs(namespace: string, name: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    return this.streams.logs(namespace, name, opts, out, signal);
  }

  exec(namespace: string, name: string, opts: ExecOptions, streams: ExecStreams): Promise<number> {
    return this.streams.exec(namespace, name, opts, streams);
  }

  attach(namespace: string, name: string, opts: { container?: string }, streams: ExecStreams): Promise<void> {
    return this.streams.attach(namespace, name, opts, streams);
  }

  portForward(namespace: string, name: string): Promise<PortForwarder> {
    return this.streams.portForward(namespace, name);
  }
}

export interface StartNodeAgentOptions extends Omit<NodeAgentOptions, 'runtime'> {
  runtime: Runtime | 'simulated' | 'process';
  /** The server's files besides the data dir that hold secrets: the process runtime hides them. */
  secretFiles?: string[];
}

/** Creates the runtime by name (the process one is loaded on demand) and starts the agent. */
export async function startNodeAgent(opts: StartNodeAgentOptions): Promise<NodeAgent> {
  if (isDNS1123Subdomain(opts.nodeName).length) {
    throw new Error(`the node name ${JSON.stringify(opts.nodeName)} is not a lowercase RFC 1123 subdomain; choose another with --node-name`);
  }
  let runtime: Runtime;
  if (typeof opts.runtime !== 'string') runtime = opts.runtime;
  else if (opts.runtime === 'simulated') {
    const { SimulatedRuntime } = await import('./runtime/simulated.js');
    runtime = new SimulatedRuntime();
  } else {
    let mod: { processRuntime?: (deps: RuntimeDeps) => Runtime | Promise<Runtime> };
    try {
      mod = (await import('./runtime/process.js')) as typeof mod;
    } catch (err) {
      throw new Error(`the process runtime is not available: ${(err as Error).message}`);
    }
    if (typeof mod.processRuntime !== 'function') throw new Error('the process runtime module does not export processRuntime(deps)');
    runtime = await mod.processRuntime({ dataDir: opts.dataDir, secretFiles: opts.secretFiles, clock: opts.clock });
  }
  const agent = new NodeAgent({ ...opts, runtime });
  await agent.start();
  return agent;
}

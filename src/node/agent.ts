// The node agent, embedded in `badge server` (the kubelet, in small). It registers this host as a
// Node and keeps it and its heartbeat Lease current; it watches the pods bound to the node and
// syncs each one: volumes (with the projected token rotated), containers through the Runtime,
// restarts with the CrashLoopBackOff back-off, status, events; a deleted pod's containers stop
// within its grace period, its files go, and the pod is removed with DELETE gracePeriodSeconds=0.
// It also answers pods/log and pods/exec (PodStreams).
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Clock } from '../api/clock.js';
import { badRequest, isNotFound, notFound } from '../api/errors.js';
import { deepEqual, formatTime, isObject, type KubeObject } from '../api/meta.js';
import { isDNS1123Subdomain } from '../api/validation.js';
import { R, type Client, type ResourceRef } from '../client/client.js';
import { Informer } from '../client/informer.js';
import { WorkQueue } from '../client/queue.js';
import { containerEnv, EnvError, expand, mappingFor } from './env.js';
import { NodeEventRecorder, nodeRef, podRef, type EventSink } from './events.js';
import { readCriLog } from './logs.js';
import {
  initialNode,
  machineInfo,
  NODE_ANNOTATIONS,
  NODE_LEASE_NAMESPACE,
  nodeLabels,
  nodeLease,
  nodeStatus,
  statusSansHeartbeat,
  type MachineInfo,
  type NodeIdentity,
} from './node-object.js';
import { containerSecurity, verifyRunAsNonRoot } from './security-context.js';
import { generatePodStatus, imageID, normalizeImage, REASON, RUNTIME_SCHEME, volumeMountStatuses, waitingStatus, type ContainerStatus, type Terminated } from './pod-status.js';
import type { ApiServerAddress, ContainerHandle, ContainerRun, Exit, Mount, Runtime, RuntimeDeps } from './runtime/runtime.js';
import { SimulatedExecError } from './runtime/simulated.js';
import type { ExecOptions, ExecStreams, LogOptions, PodStreams } from '../api/node-streams.js';
import { TokenManager } from './token-manager.js';
import { VolumeManager, type VolumeSources } from './volumes/volumes.js';
import type { ListOptions, WatchOptions, WatchSink } from '../api/operations.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (isObject(v) ? v : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** flowcontrol.Backoff as the kubelet configures it for crashing containers. */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const DEFAULT_GRACE_SECONDS = 30;
const MINIMUM_GRACE_SECONDS = 2;
/** A pod-IP range of the simulated runtime (kind's default pod subnet). */
const POD_CIDR_BASE = [10, 244];

export interface NodeAgentOptions {
  client: Client;
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

interface ContainerRec {
  name: string;
  status: ContainerStatus;
  handle?: ContainerHandle;
  run?: ContainerRun;
  /** The spec image the running container started with. */
  image?: string;
  /** Back-off: current delay and when it was last advanced (clock ms). */
  backoff?: { delayMs: number; lastUpdate: number };
}

interface PodRec {
  uid: string;
  namespace: string;
  name: string;
  pod: KubeObject;
  startTime?: string;
  podIPs: string[];
  sandboxReady: boolean;
  containers: Map<string, ContainerRec>;
  /** The phase is Succeeded or Failed: nothing runs again. */
  terminal: boolean;
  /** Stopped because the pod is being deleted. */
  killed: boolean;
  reason?: string;
  message?: string;
  lastMountEvent?: { message: string; at: number };
  paths?: Map<string, string>;
}

const hex = (n: number) => randomBytes(n).toString('hex');
const podFullName = (pod: KubeObject) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

/** Go's time.Duration.String for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}

/** Go's Duration.String of a duration truncated to milliseconds: 0s, 512ms, 1.234s. */
export function goMillis(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  return goDuration(ms);
}

/** A Client whose list and watch always carry these options (a field selector). */
function selecting(client: Client, extra: ListOptions & WatchOptions): Client {
  return {
    get: client.get.bind(client),
    create: client.create.bind(client),
    update: client.update.bind(client),
    mutate: client.mutate.bind(client),
    delete: client.delete.bind(client),
    createSubresource: client.createSubresource.bind(client),
    list: (ref: ResourceRef, ns: string, opts?: ListOptions) => client.list(ref, ns, { ...opts, ...extra }),
    watch: (ref: ResourceRef, ns: string, opts: WatchOptions, sink: WatchSink) => client.watch(ref, ns, { ...opts, ...extra }, sink),
  };
}

export class NodeAgent implements PodStreams {
  readonly nodeName: string;
  readonly runtime: Runtime;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly dataDir: string;
  private readonly podsDir: string;
  private readonly hostIP: string;
  private readonly identity: NodeIdentity;
  private readonly machine: MachineInfo;
  private readonly events: EventSink & { flush?(): Promise<void> };
  private readonly tokens: TokenManager;
  private readonly volumes: VolumeManager;
  private readonly pods: Informer;
  private readonly configMaps: Informer;
  private readonly secrets: Informer;
  private readonly services: Informer;
  private readonly queue: WorkQueue;
  /** The latest pod objects by UID (those the API still has). */
  private readonly latest = new Map<string, KubeObject>();
  private readonly recs = new Map<string, PodRec>();
  private readonly usedIPs = new Set<string>();
  private nextIP = 2;
  private readonly timers: NodeJS.Timeout[] = [];
  private nodeUID?: string;
  private lastStatusReport = 0;
  private stopped = false;

  constructor(private readonly opts: NodeAgentOptions) {
    this.client = opts.client;
    this.clock = opts.clock;
    this.dataDir = opts.dataDir;
    this.podsDir = join(opts.dataDir, 'pods');
    this.nodeName = opts.nodeName;
    this.runtime = opts.runtime;
    this.hostIP = opts.hostIP ?? '127.0.0.1';
    this.identity = { name: opts.nodeName, hostname: opts.nodeName, internalIP: this.hostIP, runtimeName: opts.runtime.name };
    this.machine = machineInfo(opts.dataDir);
    this.events = opts.events ?? new NodeEventRecorder(opts.client, opts.clock, opts.nodeName);
    this.tokens = new TokenManager(opts.client, { clock: opts.clock, random: opts.random });
    this.volumes = new VolumeManager(this.podsDir, () => opts.clock.now(), opts.dataDir);
    this.pods = new Informer(selecting(opts.client, { fieldSelector: `spec.nodeName=${opts.nodeName}` }), R.pods);
    this.configMaps = new Informer(opts.client, R.configmaps);
    this.secrets = new Informer(opts.client, R.secrets);
    this.services = new Informer(opts.client, R.services);
    this.queue = new WorkQueue(`node ${opts.nodeName}`, (uid) => this.sync(uid), 500, 30_000);
  }

  // ==== lifecycle ====

  async start(): Promise<void> {
    mkdirSync(this.podsDir, { recursive: true, mode: 0o750 });
    await Promise.all([this.configMaps.start(), this.secrets.start(), this.services.start()]);
    this.events.event(nodeRef(this.nodeName), 'Normal', 'Starting', 'Starting kubelet.');
    await this.registerNode();
    this.events.event(nodeRef(this.nodeName), 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    await this.renewLease().catch((err) => console.error(`badge: node: lease: ${(err as Error).message}`));

    const namespaceChanged = (o: KubeObject) => {
      for (const [uid, pod] of this.latest) if (pod.metadata.namespace === o.metadata.namespace) this.queue.add(uid);
    };
    for (const inf of [this.configMaps, this.secrets]) inf.on({ add: namespaceChanged, update: (_, o) => namespaceChanged(o), delete: namespaceChanged });

    this.pods.on({
      add: (p) => this.observe(p),
      update: (_, p) => this.observe(p),
      delete: (p) => {
        const uid = p.metadata.uid!;
        this.latest.delete(uid);
        const rec = this.recs.get(uid);
        if (rec) rec.pod = p;
        this.queue.add(uid);
      },
    });
    await this.pods.start();
    // Pods deleted while the agent was away leave directories behind.
    for (const uid of this.volumes.podUIDs()) if (!this.latest.has(uid)) this.volumes.remove(uid);

    const heartbeat = setInterval(() => void this.heartbeat(), this.opts.heartbeatIntervalMs ?? 10_000);
    const resync = setInterval(() => {
      this.tokens.cleanup();
      for (const uid of this.latest.keys()) this.queue.add(uid);
    }, this.opts.syncIntervalMs ?? 60_000);
    heartbeat.unref();
    resync.unref();
    this.timers.push(heartbeat, resync);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.queue.stop();
    for (const inf of [this.pods, this.configMaps, this.secrets, this.services]) inf.stop();
    // Containers do not outlive the agent; the next start finds the pods and runs them again.
    const stops: Promise<unknown>[] = [];
    for (const rec of this.recs.values()) {
      for (const c of rec.containers.values()) {
        if (c.handle) stops.push(c.handle.stop(0).catch(() => undefined));
        c.handle = undefined;
      }
    }
    await Promise.all(stops);
    await this.runtime.close?.();
    await this.events.flush?.();
  }

  private observe(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    this.latest.set(uid, pod);
    const ip = str(obj(pod.status)?.podIP);
    if (ip && ip !== this.hostIP) this.usedIPs.add(ip);
    this.queue.add(uid);
  }

  // ==== the Node and its Lease ====

  private recordNodeEvent = (event: string) => this.events.event(nodeRef(this.nodeName), 'Normal', event, `Node ${this.nodeName} status is now: ${event}`);

  private async registerNode(): Promise<void> {
    const now = this.clock.now();
    try {
      const created = await this.client.create(R.nodes, '', initialNode(this.identity, this.machine, now, this.recordNodeEvent));
      this.nodeUID = created.metadata.uid;
      this.lastStatusReport = now.getTime();
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
    // Registered before: reconcile the default labels and annotations, then the status.
    const existing = await this.client.mutate(R.nodes, '', this.nodeName, (n) => {
      n.metadata.labels = { ...n.metadata.labels, ...nodeLabels(this.identity, this.machine) };
      n.metadata.annotations = { ...n.metadata.annotations, ...NODE_ANNOTATIONS };
      return n;
    });
    this.nodeUID = existing.metadata.uid;
    await this.updateNodeStatus(true);
  }

  private async updateNodeStatus(force = false): Promise<void> {
    const now = this.clock.now();
    const due = force || now.getTime() - this.lastStatusReport >= (this.opts.nodeStatusReportMs ?? 5 * 60_000);
    const events: string[] = [];
    await this.client.mutate(
      R.nodes,
      '',
      this.nodeName,
      (n) => {
        events.length = 0;
        const next = nodeStatus(obj(n.status), this.identity, this.machine, now, (e) => events.push(e));
        if (!due && deepEqual(statusSansHeartbeat(next), statusSansHeartbeat(n.status))) return n;
        n.status = next;
        return n;
      },
      'status',
    );
    for (const e of events) this.recordNodeEvent(e);
    if (due || events.length) this.lastStatusReport = now.getTime();
  }

  private async renewLease(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.client.mutate(R.leases, NODE_LEASE_NAMESPACE, this.nodeName, (cur) => {
        const next = nodeLease(this.nodeName, this.nodeUID, now, cur);
        next.metadata.resourceVersion = cur.metadata.resourceVersion;
        return next;
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.client.create(R.leases, NODE_LEASE_NAMESPACE, nodeLease(this.nodeName, this.nodeUID, now));
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.renewLease();
    } catch (err) {
      console.error(`badge: node: lease: ${(err as Error).message}`);
    }
    try {
      await this.updateNodeStatus();
    } catch (err) {
      // A deleted Node registers again, as the kubelet does.
      if (isNotFound(err)) await this.registerNode().catch((e) => console.error(`badge: node: register: ${(e as Error).message}`));
      else console.error(`badge: node: status: ${(err as Error).message}`);
    }
  }

  // ==== pod sync ====

  private allocatable(): Record<string, string> {
    return {
      cpu: String(this.machine.cpu),
      memory: String(this.machine.memoryBytes),
      'ephemeral-storage': String(this.machine.storageBytes),
    };
  }

  private lookups() {
    return {
      configMap: (ns: string, name: string) => this.configMaps.get(ns, name),
      secret: (ns: string, name: string) => this.secrets.get(ns, name),
    };
  }

  private volumeSources(): VolumeSources {
    return {
      ...this.lookups(),
      nodeAllocatable: this.allocatable(),
      token: async (pod, source) => {
        const spec = obj(pod.spec) ?? {};
        const tr = await this.tokens.getServiceAccountToken(pod.metadata.namespace ?? '', str(spec.serviceAccountName), {
          audiences: source.audience ? [source.audience] : undefined,
          expirationSeconds: source.expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! },
        });
        return tr.status.token;
      },
    };
  }

  private allocateIP(): string {
    for (let i = 0; i < 65534; i++) {
      const n = this.nextIP;
      this.nextIP = this.nextIP >= 65533 ? 2 : this.nextIP + 1;
      if ((n & 0xff) === 0 || (n & 0xff) === 255) continue;
      const ip = `${POD_CIDR_BASE[0]}.${POD_CIDR_BASE[1]}.${n >> 8}.${n & 0xff}`;
      if (!this.usedIPs.has(ip)) {
        this.usedIPs.add(ip);
        return ip;
      }
    }
    throw new Error('the pod network 10.244.0.0/16 is full');
  }

  private newRec(pod: KubeObject): PodRec {
    const status = obj(pod.status) ?? {};
    const rec: PodRec = {
      uid: pod.metadata.uid!,
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name!,
      pod,
      startTime: str(status.startTime) || undefined,
      podIPs: list(status.podIPs).map((p) => str(p.ip)).filter(Boolean),
      sandboxReady: false,
      containers: new Map(),
      terminal: status.phase === 'Succeeded' || status.phase === 'Failed',
      killed: false,
    };
    // Pick up what an earlier run of the agent reported.
    for (const key of ['initContainerStatuses', 'containerStatuses']) {
      for (const cs of list(status[key])) {
        const s = structuredClone(cs) as unknown as ContainerStatus;
        if (!s.containerID && !s.lastState?.terminated) continue;
        s.lastState ??= {};
        const c: ContainerRec = { name: s.name, status: s };
        if (s.state?.running) {
          // The container did not survive the agent: it ended, as after a node reboot.
          c.status = {
            ...s,
            state: { terminated: { exitCode: 255, reason: 'Unknown', startedAt: s.state.running.startedAt, finishedAt: formatTime(this.clock.now()), containerID: s.containerID } },
            ready: false,
            started: false,
          };
          if (this.runtime.name === 'simulated') c.status = s; // nothing ran: it runs on
        }
        rec.containers.set(s.name, c);
      }
    }
    return rec;
  }

  private async sync(uid: string): Promise<void> {
    if (this.stopped) return;
    const pod = this.latest.get(uid);
    let rec = this.recs.get(uid);
    if (!pod) {
      // Gone from the API: stop what runs and remove its files.
      if (rec) {
        await this.killPod(rec, Math.max(0, rec.pod.metadata.deletionGracePeriodSeconds ?? 0));
        this.recs.delete(uid);
        for (const ip of rec.podIPs) if (ip !== this.hostIP) this.usedIPs.delete(ip);
      }
      this.tokens.deleteServiceAccountToken(uid);
      this.volumes.remove(uid);
      return;
    }
    if (!rec) {
      rec = this.newRec(pod);
      this.recs.set(uid, rec);
      if (rec.containers.size && this.runtime.name === 'simulated' && !rec.terminal) await this.reattach(rec);
    }
    rec.pod = pod;
    if (pod.metadata.deletionTimestamp) return this.terminate(rec);
    if (rec.terminal) {
      this.teardown(rec);
      return;
    }
    await this.syncRunning(rec);
  }

  /** Simulated containers found running in the status run on (a new handle, the same container). */
  private async reattach(rec: PodRec): Promise<void> {
    const spec = obj(rec.pod.spec) ?? {};
    const all = [...list(spec.initContainers), ...list(spec.containers)];
    for (const c of rec.containers.values()) {
      if (!c.status.state.running) continue;
      const container = all.find((x) => x.name === c.name);
      if (!container) continue;
      const id = (c.status.containerID ?? '').replace(`${RUNTIME_SCHEME}://`, '') || hex(32);
      const run = this.containerRun(rec, container, id, c.status.restartCount, {});
      c.run = run;
      c.image = str(container.image);
      c.handle = await this.runtime.start(run);
      this.watchExit(rec, c, c.handle);
    }
  }

  private async syncRunning(rec: PodRec): Promise<void> {
    const pod = rec.pod;
    const spec = obj(pod.spec) ?? {};
    const now = this.clock.now();
    if (!rec.startTime) {
      // The kubelet acknowledges a new pod first (startTime, ContainerCreating), then sets it up.
      rec.startTime = formatTime(now);
      await this.writeStatus(rec);
    }

    // activeDeadlineSeconds: the kubelet fails a pod that ran too long.
    const deadline = spec.activeDeadlineSeconds;
    if (typeof deadline === 'number' && Date.parse(rec.startTime) + deadline * 1000 <= now.getTime()) {
      rec.reason = 'DeadlineExceeded';
      rec.message = 'Pod was active on the node longer than the specified deadline';
      this.events.event(podRef(pod), 'Warning', 'DeadlineExceeded', rec.message);
      await this.killPod(rec, this.gracePeriod(pod));
      rec.terminal = true;
      await this.writeStatus(rec, 'Failed');
      this.teardown(rec);
      return;
    }

    // Volumes first: containers start only once every volume is in place.
    const setup = await this.volumes.setUp(pod, this.volumeSources(), join(this.dataDir, 'pvcs'));
    if (setup.failures.length) {
      for (const f of setup.failures) {
        const message = `MountVolume.SetUp failed for volume ${JSON.stringify(f.volume)} : ${f.message}`;
        const last = rec.lastMountEvent;
        if (!last || last.message !== message || now.getTime() - last.at >= 30_000) {
          this.events.event(podRef(pod), 'Warning', 'FailedMount', message);
          rec.lastMountEvent = { message, at: now.getTime() };
        }
      }
      if (!rec.sandboxReady) {
        await this.writeStatus(rec);
        this.queue.addAfter(rec.uid, 2000);
        return;
      }
    }
    rec.paths = setup.paths;
    if (!rec.sandboxReady) {
      rec.sandboxReady = true;
      if (!rec.podIPs.length) rec.podIPs = [this.runtime.name === 'process' || spec.hostNetwork === true ? this.hostIP : this.allocateIP()];
    }

    // Init containers, one after another; then every regular container.
    const restartPolicy = str(spec.restartPolicy) || 'Always';
    let initDone = true;
    let initFailed = false;
    for (const c of list(spec.initContainers)) {
      const name = str(c.name);
      const cr = rec.containers.get(name);
      const sidecar = c.restartPolicy === 'Always';
      if (!cr || !this.everStarted(cr)) {
        await this.startContainer(rec, c, 'initContainers', cr);
        const after = rec.containers.get(name);
        if (!(sidecar && after?.status.state.running)) {
          initDone = false;
          break;
        }
        continue;
      }
      if (cr.status.state.running) {
        if (sidecar) continue;
        initDone = false;
        break;
      }
      const last = cr.status.state.terminated ?? cr.status.lastState.terminated;
      if (!sidecar && cr.status.state.terminated && cr.status.state.terminated.exitCode === 0) continue;
      if (!sidecar && restartPolicy === 'Never' && last && last.exitCode !== 0) {
        initFailed = true;
        initDone = false;
        break;
      }
      await this.restartWithBackoff(rec, c, cr, 'initContainers');
      const after = rec.containers.get(name);
      if (!(sidecar && after?.status.state.running)) {
        initDone = false;
        break;
      }
    }

    if (initDone && !initFailed) {
      for (const c of list(spec.containers)) {
        const name = str(c.name);
        const cr = rec.containers.get(name);
        if (!cr || !this.everStarted(cr)) {
          await this.startContainer(rec, c, 'containers', cr);
          continue;
        }
        if (cr.status.state.running) {
          if (cr.image !== undefined && cr.image !== str(c.image) && cr.handle) {
            await this.stopContainer(rec, cr, 'containers', this.gracePeriod(pod), `Container ${name} definition changed, will be restarted`);
            await this.startContainer(rec, c, 'containers', cr);
          }
          continue;
        }
        const term = cr.status.state.terminated ?? cr.status.lastState.terminated;
        const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && (term?.exitCode ?? 1) !== 0);
        if (restart) await this.restartWithBackoff(rec, c, cr, 'containers');
      }
    }

    const phase = await this.writeStatus(rec);
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished: sidecars stop, the sandbox goes, volumes are unmounted; logs stay.
      rec.terminal = true;
      for (const cr of rec.containers.values()) {
        if (cr.handle) await this.stopContainer(rec, cr, 'initContainers', this.gracePeriod(pod));
      }
      rec.sandboxReady = false;
      await this.writeStatus(rec);
      this.teardown(rec);
    }
  }

  private everStarted(cr: ContainerRec): boolean {
    return !!cr.status.containerID || !!cr.status.lastState.terminated || !!cr.status.state.running || !!cr.status.state.terminated;
  }

  /** The CrashLoopBackOff decision (doBackOff): wait while inside the delay, else restart now. */
  private async restartWithBackoff(rec: PodRec, container: Obj, cr: ContainerRec, field: 'containers' | 'initContainers'): Promise<void> {
    const term = cr.status.state.terminated ?? cr.status.lastState.terminated;
    if (!term) {
      // Never ran (a config error): try again.
      await this.startContainer(rec, container, field, cr);
      return;
    }
    const now = this.clock.now().getTime();
    const finished = term.finishedAt ? Date.parse(term.finishedAt) : now;
    const b = cr.backoff;
    const expired = !b || finished - b.lastUpdate > 2 * BACKOFF_MAX_MS;
    if (!expired && now - finished < b!.delayMs) {
      const message = `back-off ${goDuration(b!.delayMs)} restarting failed container=${cr.name} pod=${podFullName(rec.pod)}`;
      const wasWaiting = cr.status.state.waiting?.reason === REASON.CrashLoopBackOff;
      cr.status = { ...cr.status, state: { waiting: { reason: REASON.CrashLoopBackOff, message } }, lastState: { terminated: term }, ready: false, started: false };
      if (!wasWaiting) {
        this.events.event(podRef(rec.pod, `spec.${field}{${cr.name}}`), 'Warning', 'BackOff', `Back-off restarting failed container ${cr.name} in pod ${podFullName(rec.pod)}`);
      }
      this.queue.addAfter(rec.uid, Math.max(100, finished + b!.delayMs - now));
      return;
    }
    cr.backoff = expired ? { delayMs: BACKOFF_INITIAL_MS, lastUpdate: now } : { delayMs: Math.min(b!.delayMs * 2, BACKOFF_MAX_MS), lastUpdate: now };
    await this.startContainer(rec, container, field, cr);
  }

  private containerRun(rec: PodRec, container: Obj, id: string, restartCount: number, env: Record<string, string>): ContainerRun {
    const name = str(container.name);
    const logDir = join(this.podsDir, rec.uid, 'logs', name);
    const scratchDir = join(this.podsDir, rec.uid, 'containers', name);
    mkdirSync(logDir, { recursive: true });
    mkdirSync(scratchDir, { recursive: true });
    const logPath = join(logDir, `${restartCount}.log`);
    if (!existsSync(logPath)) closeSync(openSync(logPath, 'a', 0o640));
    const mapping = mappingFor(new Map(Object.entries(env)));
    const mounts: Mount[] = [];
    for (const m of list(container.volumeMounts)) {
      const base = rec.paths?.get(str(m.name));
      if (!base) continue;
      const sub = str(m.subPath) || (str(m.subPathExpr) ? expand(str(m.subPathExpr), mapping) : '');
      mounts.push({ containerPath: str(m.mountPath), hostPath: sub ? join(base, sub) : base, readOnly: m.readOnly === true });
    }
    return {
      pod: rec.pod,
      container: container as ContainerRun['container'],
      id,
      restartCount,
      env,
      apiServer: this.opts.apiServer,
      mounts,
      logPath,
      scratchDir,
      security: containerSecurity(rec.pod, container),
    };
  }

  /** Starts (or restarts) a container: environment, image events, the runtime, the status. */
  private async startContainer(rec: PodRec, container: Obj, field: 'containers' | 'initContainers', prev: ContainerRec | undefined): Promise<void> {
    const pod = rec.pod;
    const name = str(container.name);
    const ref = podRef(pod, `spec.${field}{${name}}`);
    const image = str(container.image);
    const restarted = !!prev && this.everStarted(prev);
    const restartCount = restarted ? prev!.status.restartCount + 1 : 0;
    const previous = prev?.status.state.terminated ?? prev?.status.lastState.terminated;
    const cr: ContainerRec = prev ?? { name, status: waitingStatus(container, REASON.ContainerCreating) };
    rec.containers.set(name, cr);

    // What keeps the container from being created (generateContainerConfig): its environment,
    // then runAsNonRoot.
    let env: Record<string, string> = {};
    let configError: string | undefined;
    try {
      env = containerEnv(pod, container, {
        ...this.lookups(),
        services: () => this.services.list(),
        podIPs: rec.podIPs,
        hostIPs: [this.hostIP],
        nodeAllocatable: this.allocatable(),
        warn: (reason, message) => this.events.event(podRef(pod), 'Warning', reason, message),
      });
    } catch (err) {
      if (!(err instanceof EnvError)) throw err;
      configError = err.message;
    }
    configError ??= verifyRunAsNonRoot(pod, container);
    if (configError !== undefined) {
      const before = cr.status.state.waiting;
      cr.status = { ...waitingStatus(container, REASON.CreateContainerConfigError, cr.status, configError), restartCount: cr.status.restartCount };
      if (before?.reason !== REASON.CreateContainerConfigError || before.message !== configError) this.events.event(ref, 'Warning', 'Failed', `Error: ${configError}`);
      this.queue.addAfter(rec.uid, 10_000);
      return;
    }

    const policy = str(container.imagePullPolicy) || 'IfNotPresent';
    if (policy === 'Always') {
      const began = Date.now();
      this.events.event(ref, 'Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
      const took = goMillis(Date.now() - began);
      this.events.event(ref, 'Normal', 'Pulled', `Successfully pulled image ${JSON.stringify(image)} in ${took} (${took} including waiting). Image size: 0 bytes.`);
    } else {
      this.events.event(ref, 'Normal', 'Pulled', `Container image ${JSON.stringify(image)} already present on machine`);
    }

    const id = hex(32);
    const run = this.containerRun(rec, container, id, restartCount, env);
    this.events.event(ref, 'Normal', 'Created', `Created container: ${name}`);
    let handle: ContainerHandle;
    try {
      handle = await this.runtime.start(run);
    } catch (err) {
      const message = (err as Error).message;
      this.events.event(ref, 'Warning', 'Failed', `Error: ${message}`);
      const finished = formatTime(this.clock.now());
      cr.status = {
        ...waitingStatus(container, 'RunContainerError', cr.status, message),
        restartCount,
        lastState: { terminated: { exitCode: 128, reason: 'StartError', message, startedAt: null, finishedAt: finished, containerID: `${RUNTIME_SCHEME}://${id}` } },
      };
      cr.backoff ??= { delayMs: BACKOFF_INITIAL_MS, lastUpdate: this.clock.now().getTime() };
      this.queue.addAfter(rec.uid, BACKOFF_INITIAL_MS);
      return;
    }
    this.events.event(ref, 'Normal', 'Started', `Started container ${name}`);
    const mounts = volumeMountStatuses(container);
    cr.handle = handle;
    cr.run = run;
    cr.image = image;
    cr.status = {
      name,
      state: { running: { startedAt: formatTime(this.clock.now()) } },
      lastState: restarted && previous ? { terminated: previous } : {},
      ready: true,
      restartCount,
      image: normalizeImage(image),
      imageID: imageID(image),
      containerID: `${RUNTIME_SCHEME}://${id}`,
      started: true,
      ...(mounts ? { volumeMounts: mounts } : {}),
    };
    this.watchExit(rec, cr, handle);
  }

  private watchExit(rec: PodRec, cr: ContainerRec, handle: ContainerHandle): void {
    void handle.exited.then(
      (exit) => this.onExit(rec, cr, handle, exit),
      (err) => this.onExit(rec, cr, handle, { exitCode: 128, reason: 'Error', message: String((err as Error)?.message ?? err) }),
    );
  }

  private onExit(rec: PodRec, cr: ContainerRec, handle: ContainerHandle, exit: Exit): void {
    if (cr.handle !== handle) return;
    cr.handle = undefined;
    const running = cr.status.state.running;
    const term: Terminated = {
      exitCode: exit.exitCode,
      reason: exit.reason || (exit.exitCode === 0 ? REASON.Completed : REASON.Error),
      ...(exit.message ? { message: exit.message } : {}),
      startedAt: running?.startedAt ?? null,
      finishedAt: formatTime(this.clock.now()),
      ...(cr.status.containerID ? { containerID: cr.status.containerID } : {}),
    };
    // A regular init container that succeeded counts as ready (the prober's UpdatePodStatus).
    const spec = obj(rec.pod.spec) ?? {};
    const init = list(spec.initContainers).find((c) => c.name === cr.name);
    const ready = !!init && init.restartPolicy !== 'Always' && exit.exitCode === 0;
    cr.status = { ...cr.status, state: { terminated: term }, ready, started: false };
    if (!this.stopped) this.queue.add(rec.uid);
  }

  private gracePeriod(pod: KubeObject): number {
    const fromDelete = pod.metadata.deletionGracePeriodSeconds;
    if (typeof fromDelete === 'number') return fromDelete;
    const fromSpec = obj(pod.spec)?.terminationGracePeriodSeconds;
    return typeof fromSpec === 'number' ? fromSpec : DEFAULT_GRACE_SECONDS;
  }

  private async stopContainer(rec: PodRec, cr: ContainerRec, field: 'containers' | 'initContainers', graceSeconds: number, message?: string): Promise<void> {
    const handle = cr.handle;
    if (!handle) return;
    const spec = obj(rec.pod.spec) ?? {};
    const isRegular = list(spec.containers).some((c) => c.name === cr.name);
    this.events.event(podRef(rec.pod, `spec.${isRegular ? 'containers' : field}{${cr.name}}`), 'Normal', 'Killing', message ?? `Stopping container ${cr.name}`);
    // The kubelet gives every container at least 2 s (minimumGracePeriodInSeconds).
    const exit = await handle.stop(Math.max(MINIMUM_GRACE_SECONDS, graceSeconds) * 1000);
    this.onExit(rec, cr, handle, exit);
  }

  /** Stops every container of the pod, regular ones first, then sidecars. */
  private async killPod(rec: PodRec, graceSeconds: number): Promise<void> {
    const spec = obj(rec.pod.spec) ?? {};
    const regular = new Set(list(spec.containers).map((c) => str(c.name)));
    const running = [...rec.containers.values()].filter((c) => c.handle);
    await Promise.all(running.filter((c) => regular.has(c.name)).map((c) => this.stopContainer(rec, c, 'containers', graceSeconds)));
    await Promise.all(running.filter((c) => !regular.has(c.name)).map((c) => this.stopContainer(rec, c, 'initContainers', graceSeconds)));
  }

  /** A pod being deleted: stop it within its grace period, report it, tidy up, and remove it. */
  private async terminate(rec: PodRec): Promise<void> {
    if (!rec.killed) {
      rec.killed = true;
      await this.killPod(rec, this.gracePeriod(rec.pod));
      rec.sandboxReady = false;
      await this.writeStatus(rec, undefined, true);
      this.teardown(rec);
    }
    try {
      await this.client.delete(R.pods, rec.namespace, rec.name, { gracePeriodSeconds: 0, preconditions: { uid: rec.uid } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404 && code !== 409) throw err;
    }
  }

  /** Volumes and tokens of a pod that will not run again. */
  private teardown(rec: PodRec): void {
    this.tokens.deleteServiceAccountToken(rec.uid);
    this.volumes.tearDown(rec.uid);
  }

  private statusesOf(rec: PodRec): { init: ContainerStatus[]; regular: ContainerStatus[] } {
    const spec = obj(rec.pod.spec) ?? {};
    const inits = list(spec.initContainers);
    const defaultReason = inits.length ? REASON.PodInitializing : REASON.ContainerCreating;
    const of = (c: Obj) => rec.containers.get(str(c.name))?.status ?? waitingStatus(c, defaultReason);
    return { init: inits.map(of), regular: list(spec.containers).map(of) };
  }

  /** Writes the pod's status through pods/status; answers with the phase written ('' when the pod is gone). */
  private async writeStatus(rec: PodRec, phase?: string, podIsTerminal = false): Promise<string> {
    const { init, regular } = this.statusesOf(rec);
    let written = '';
    // A pod deleted meanwhile has no status to write: its DELETED event comes next.
    await this.client.mutate(
      R.pods,
      rec.namespace,
      rec.name,
      (cur) => {
        if (cur.metadata.uid !== rec.uid) throw notFound({ group: '', resource: 'pods' }, rec.name);
        const status = generatePodStatus({
          pod: cur,
          initStatuses: init,
          statuses: regular,
          sandboxReady: rec.sandboxReady,
          podIsTerminal: podIsTerminal || rec.terminal,
          podIPs: rec.podIPs,
          hostIPs: [this.hostIP],
          startTime: rec.startTime,
          now: this.clock.now(),
          phase,
          reason: rec.reason,
          message: rec.message,
        });
        written = str(status.phase);
        cur.status = status;
        return cur;
      },
      'status',
    ).catch((err) => {
      if (!isNotFound(err)) throw err;
      written = '';
    });
    return written;
  }

  // ==== PodStreams ====

  private async findPod(namespace: string, name: string): Promise<{ pod: KubeObject; rec?: PodRec }> {
    const cached = this.pods.get(namespace, name);
    if (cached) return { pod: cached, rec: this.recs.get(cached.metadata.uid!) };
    const pod = await this.client.get(R.pods, namespace, name);
    const nodeName = str(obj(pod.spec)?.nodeName);
    if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    if (nodeName !== this.nodeName) throw badRequest(`pod ${name} is on node ${nodeName}, not on ${this.nodeName}`);
    return { pod, rec: this.recs.get(pod.metadata.uid!) };
  }

  /** validateContainer of the pods/log and pods/exec REST: the named container, or the only one. */
  private containerName(pod: KubeObject, requested: string | undefined): string {
    const spec = obj(pod.spec) ?? {};
    const names = list(spec.containers).map((c) => str(c.name));
    const inits = list(spec.initContainers).map((c) => str(c.name));
    const ephemeral = list(spec.ephemeralContainers).map((c) => str(c.name));
    const podName = pod.metadata.name!;
    if (!requested) {
      if (names.length === 1) return names[0]!;
      const choices = `[${names.join(' ')}]`;
      if (inits.length) throw badRequest(`a container name must be specified for pod ${podName}, choose one of: ${choices} or one of the init containers: [${inits.join(' ')}]`);
      throw badRequest(`a container name must be specified for pod ${podName}, choose one of: ${choices}`);
    }
    if (![...names, ...inits, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }

  private containerStatus(pod: KubeObject, rec: PodRec | undefined, container: string): ContainerStatus | undefined {
    const fromRec = rec?.containers.get(container)?.status;
    if (fromRec) return fromRec;
    const status = obj(pod.status) ?? {};
    const found = [...list(status.containerStatuses), ...list(status.initContainerStatuses)].find((c) => c.name === container);
    return found as unknown as ContainerStatus | undefined;
  }

  async logs(namespace: string, name: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    const { pod, rec } = await this.findPod(namespace, name);
    const container = this.containerName(pod, opts.container);
    const cs = this.containerStatus(pod, rec, container);
    const q = (s: string) => JSON.stringify(s);
    const where = `container ${q(container)} in pod ${q(name)}`;
    if (!cs) throw badRequest(`${where} is waiting to start: ${waitingReason(pod)}`);
    const state = cs.state ?? {};
    const last = cs.lastState ?? {};
    let file: number;
    if (opts.previous) {
      if (!last.terminated) throw badRequest(`previous terminated ${where} not found`);
      file = cs.restartCount - 1;
    } else if (state.running || state.terminated) file = cs.restartCount;
    else if (last.terminated) file = cs.restartCount - 1;
    else if (state.waiting) throw badRequest(`${where} is waiting to start: ${state.waiting.reason ?? ''}`);
    else throw badRequest(`${where} is waiting to start - no logs yet`);
    const path = join(this.podsDir, pod.metadata.uid!, 'logs', container, `${Math.max(0, file)}.log`);
    const running = () => {
      const now = rec?.containers.get(container);
      return !!now?.handle && now.status.restartCount === file;
    };
    // NewLogOptions: since from sinceSeconds, or sinceTime when that is later.
    let since = opts.sinceSeconds !== undefined ? new Date(this.clock.now().getTime() - opts.sinceSeconds * 1000) : undefined;
    if (opts.sinceTime && (!since || opts.sinceTime > since)) since = opts.sinceTime;
    await readCriLog(path, { tailLines: opts.tailLines, limitBytes: opts.limitBytes, since, timestamps: opts.timestamps, follow: opts.follow }, out, signal, running);
  }

  async exec(namespace: string, name: string, opts: ExecOptions, streams: ExecStreams): Promise<number> {
    const { pod, rec } = await this.findPod(namespace, name);
    const phase = str(obj(pod.status)?.phase);
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = this.containerName(pod, opts.container);
    const cr = rec?.containers.get(container);
    if (!cr?.handle || !cr.run) {
      if (this.runtime.name === 'simulated') throw badRequest(new SimulatedExecError().message);
      throw badRequest(`container not found (${JSON.stringify(container)})`);
    }
    try {
      return await this.runtime.exec(cr.handle, cr.run, opts.command, streams);
    } catch (err) {
      if (err instanceof SimulatedExecError) throw badRequest(err.message);
      throw err;
    }
  }
}

function waitingReason(pod: KubeObject): string {
  return list(obj(pod.spec)?.initContainers).length ? REASON.PodInitializing : REASON.ContainerCreating;
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

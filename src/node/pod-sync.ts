// The per-pod reconcile of the node agent (the kubelet's syncPod, in small): a new pod is
// acknowledged, its deadline checked, its volumes set up, its init containers run one after
// another and then its containers, restarted per restartPolicy; its status is written after each
// step. A finished pod tears down; a pod being deleted stops within its grace period and is
// removed with DELETE gracePeriodSeconds=0; a pod gone from the API leaves nothing behind.
import type { Container, ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import { notFound, isNotFound } from '../api/errors.js';
import type { Pod } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { gracePeriod, type Containers } from './containers.js';
import { podRef, type EventSink } from './events.js';
import { everStarted, podRecord, type PodRec } from './pod-record.js';
import { PodIPs } from './pod-ips.js';
import { generatePodStatus, REASON, waitingStatus } from './pod-status.js';
import type { Runtime } from './runtime/runtime.js';
import type { TokenManager } from './token-manager.js';
import type { VolumeManager, VolumeSources } from './volumes/volumes.js';

export interface PodSyncDeps {
  client: Client;
  clock: Clock;
  runtime: Runtime;
  events: EventSink;
  containers: Containers;
  tokens: TokenManager;
  volumes: VolumeManager;
  volumeSources: VolumeSources;
  hostIP: string;
  /** The pods the API has bound to this node (from the shared informer's index). */
  pods(): Pod[];
  /** Syncs the pod again, at once or after a while. */
  requeue(uid: string, afterMs?: number): void;
}

export class PodSync {
  private readonly recs = new Map<string, PodRec>();
  private readonly ips = new PodIPs();

  constructor(private readonly deps: PodSyncDeps) {}

  /** A pod bound to this node was added or changed: the IP it reports is taken. */
  observe(pod: Pod): void {
    const ip = pod.status?.podIP;
    if (ip && ip !== this.deps.hostIP) this.ips.markUsed(ip);
  }

  /** A pod bound to this node is gone from the API (its last state): the next sync stops it and removes its files. */
  forget(pod: Pod): void {
    const rec = this.recs.get(pod.metadata.uid!);
    if (rec) rec.pod = pod;
  }

  /** The UIDs of the pods the API has for this node (in one namespace, when given). */
  podUIDs(namespace?: string): string[] {
    return this.deps
      .pods()
      .filter((p) => namespace === undefined || p.metadata.namespace === namespace)
      .map((p) => p.metadata.uid!);
  }

  record(uid: string): PodRec | undefined {
    return this.recs.get(uid);
  }

  /** Every pod the agent holds a record of. */
  records(): Iterable<PodRec> {
    return this.recs.values();
  }

  /** Containers do not outlive the agent: the next start finds the pods and runs them again. */
  async stopAll(): Promise<void> {
    const stops: Promise<unknown>[] = [];
    for (const rec of this.recs.values()) {
      for (const c of rec.containers.values()) {
        if (c.handle) stops.push(c.handle.stop(0).catch(() => undefined));
        c.handle = undefined;
      }
    }
    await Promise.all(stops);
  }

  async sync(uid: string): Promise<void> {
    const { containers, runtime, tokens, volumes } = this.deps;
    const pod = this.deps.pods().find((p) => p.metadata.uid === uid);
    let rec = this.recs.get(uid);
    if (!pod) {
      // Gone from the API: stop what runs and remove its files.
      if (rec) {
        await containers.killPod(rec, Math.max(0, rec.pod.metadata.deletionGracePeriodSeconds ?? 0));
        this.recs.delete(uid);
        for (const ip of rec.podIPs) if (ip !== this.deps.hostIP) this.ips.release(ip);
      }
      tokens.deleteServiceAccountToken(uid);
      volumes.remove(uid);
      return;
    }
    if (!rec) {
      rec = podRecord(pod, this.deps.clock.now(), runtime.name);
      this.recs.set(uid, rec);
      if (rec.containers.size && runtime.name === 'simulated' && !rec.terminal) await containers.reattach(rec);
    }
    rec.pod = pod;
    if (pod.metadata.deletionTimestamp) return this.terminate(rec);
    if (rec.terminal) {
      this.teardown(rec);
      return;
    }
    await this.syncRunning(rec);
  }

  private async syncRunning(rec: PodRec): Promise<void> {
    const { clock, containers, events } = this.deps;
    const pod = rec.pod;
    const now = clock.now();
    if (!rec.startTime) {
      // The kubelet acknowledges a new pod first (startTime, ContainerCreating), then sets it up.
      rec.startTime = formatTime(now);
      await this.writeStatus(rec);
    }

    // activeDeadlineSeconds: the kubelet fails a pod that ran too long.
    const deadline = pod.spec?.activeDeadlineSeconds;
    if (deadline !== undefined && Date.parse(rec.startTime) + deadline * 1000 <= now.getTime()) {
      rec.reason = 'DeadlineExceeded';
      rec.message = 'Pod was active on the node longer than the specified deadline';
      events.event(podRef(pod), 'Warning', 'DeadlineExceeded', rec.message);
      await containers.killPod(rec, gracePeriod(pod));
      rec.terminal = true;
      await this.writeStatus(rec, 'Failed');
      this.teardown(rec);
      return;
    }

    // Volumes first: containers start only once every volume is in place.
    const setup = await this.deps.volumes.setUp(pod, this.deps.volumeSources);
    if (setup.failures.length) {
      for (const f of setup.failures) {
        const message = `MountVolume.SetUp failed for volume ${JSON.stringify(f.volume)} : ${f.message}`;
        const last = rec.lastMountEvent;
        if (!last || last.message !== message || now.getTime() - last.at >= 30_000) {
          events.event(podRef(pod), 'Warning', 'FailedMount', message);
          rec.lastMountEvent = { message, at: now.getTime() };
        }
      }
      if (!rec.sandboxReady) {
        await this.writeStatus(rec);
        this.deps.requeue(rec.uid, 2000);
        return;
      }
    }
    rec.paths = setup.paths;
    if (!rec.sandboxReady) {
      rec.sandboxReady = true;
      // Every pod but a hostNetwork one has an address of the pod network, in the process runtime
      // too, where its processes share the host's network: the address is nominal there (Badge
      // reaches the pod's ports on the host's loopback), but valid in Endpoints and EndpointSlices.
      if (!rec.podIPs.length) rec.podIPs = [pod.spec?.hostNetwork === true ? this.deps.hostIP : this.ips.allocate()];
    }

    const restartPolicy = pod.spec?.restartPolicy || 'Always';
    if (await this.runInitContainers(rec, restartPolicy)) await this.runContainers(rec, restartPolicy);

    const phase = await this.writeStatus(rec);
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished: sidecars stop, the sandbox goes, volumes are unmounted; logs stay.
      rec.terminal = true;
      for (const cr of rec.containers.values()) {
        if (cr.handle) await containers.stop(rec, cr, 'initContainers', gracePeriod(pod));
      }
      rec.sandboxReady = false;
      await this.writeStatus(rec);
      this.teardown(rec);
    }
  }

  /** Init containers, one after another (sidecars keep running): answers whether all are done. */
  private async runInitContainers(rec: PodRec, restartPolicy: string): Promise<boolean> {
    const { containers } = this.deps;
    for (const c of rec.pod.spec?.initContainers ?? []) {
      const name = c.name;
      const cr = rec.containers.get(name);
      const sidecar = c.restartPolicy === 'Always';
      if (!cr || !everStarted(cr)) {
        await containers.start(rec, c, 'initContainers', cr);
        if (!(sidecar && rec.containers.get(name)?.status.state?.running)) return false;
        continue;
      }
      if (cr.status.state?.running) {
        if (sidecar) continue;
        return false;
      }
      const last = cr.status.state?.terminated ?? cr.status.lastState?.terminated;
      if (!sidecar && cr.status.state?.terminated && cr.status.state.terminated.exitCode === 0) continue;
      // A failed init container of a pod that never restarts: the pod fails (its status says so).
      if (!sidecar && restartPolicy === 'Never' && last && last.exitCode !== 0) return false;
      await containers.restartWithBackoff(rec, c, cr, 'initContainers');
      if (!(sidecar && rec.containers.get(name)?.status.state?.running)) return false;
    }
    return true;
  }

  /** Every regular container: started, restarted per restartPolicy, or replaced when its image changed. */
  private async runContainers(rec: PodRec, restartPolicy: string): Promise<void> {
    const { containers } = this.deps;
    for (const c of rec.pod.spec?.containers ?? []) {
      const name = c.name;
      const cr = rec.containers.get(name);
      if (!cr || !everStarted(cr)) {
        await containers.start(rec, c, 'containers', cr);
        continue;
      }
      if (cr.status.state?.running) {
        if (cr.image !== undefined && cr.image !== (c.image ?? '') && cr.handle) {
          await containers.stop(rec, cr, 'containers', gracePeriod(rec.pod), `Container ${name} definition changed, will be restarted`);
          await containers.start(rec, c, 'containers', cr);
        }
        continue;
      }
      const term = cr.status.state?.terminated ?? cr.status.lastState?.terminated;
      const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && (term?.exitCode ?? 1) !== 0);
      if (restart) await containers.restartWithBackoff(rec, c, cr, 'containers');
    }
  }

  /** A pod being deleted: stop it within its grace period, report it, tidy up, and remove it. */
  private async terminate(rec: PodRec): Promise<void> {
    if (!rec.killed) {
      rec.killed = true;
      await this.deps.containers.killPod(rec, gracePeriod(rec.pod));
      rec.sandboxReady = false;
      await this.writeStatus(rec, undefined, true);
      this.teardown(rec);
    }
    try {
      await this.deps.client.delete(R.pods, rec.namespace, rec.name, { gracePeriodSeconds: 0, preconditions: { uid: rec.uid } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404 && code !== 409) throw err;
    }
  }

  /** Volumes and tokens of a pod that will not run again. */
  private teardown(rec: PodRec): void {
    this.deps.tokens.deleteServiceAccountToken(rec.uid);
    this.deps.volumes.tearDown(rec.uid);
  }

  private statusesOf(rec: PodRec): { init: ContainerStatus[]; regular: ContainerStatus[] } {
    const inits = rec.pod.spec?.initContainers ?? [];
    const defaultReason = inits.length ? REASON.PodInitializing : REASON.ContainerCreating;
    const of = (c: Container) => rec.containers.get(c.name)?.status ?? waitingStatus(c, defaultReason);
    return { init: inits.map(of), regular: (rec.pod.spec?.containers ?? []).map(of) };
  }

  /** Writes the pod's status through pods/status; answers with the phase written ('' when the pod is gone). */
  private async writeStatus(rec: PodRec, phase?: string, podIsTerminal = false): Promise<string> {
    const { init, regular } = this.statusesOf(rec);
    let written = '';
    // A pod deleted meanwhile has no status to write: its DELETED event comes next.
    await this.deps.client
      .mutate(
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
            hostIPs: [this.deps.hostIP],
            startTime: rec.startTime,
            now: this.deps.clock.now(),
            phase,
            reason: rec.reason,
            message: rec.message,
          });
          written = status.phase ?? '';
          return { ...cur, status };
        },
        'status',
      )
      .catch((err) => {
        if (!isNotFound(err)) throw err;
        written = '';
      });
    return written;
  }
}

// A pod's containers on this node (the kubelet's kuberuntime manager, in small): starting one
// (environment, runAsNonRoot, image events, the runtime, its status), restarting it with the
// CrashLoopBackOff back-off, noticing its exit, and stopping it within a grace period.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, ContainerStateTerminated } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import type { ConfigMap, Pod, Secret, Service } from '../api/kinds.js';
import { goDuration, goMillis } from '../api/duration.js';
import { formatTime } from '../api/meta.js';
import { containerEnv, EnvError, expand, mappingFor } from './env.js';
import { podRef, type EventSink } from './events.js';
import { everStarted, podFullName, type ContainerRec, type PodRec } from './pod-record.js';
import { imageID, normalizeImage, REASON, RUNTIME_SCHEME, volumeMountStatuses, waitingStatus } from './pod-status.js';
import type { ApiServerAddress, ContainerHandle, ContainerRun, Exit, Mount, Runtime } from './runtime/runtime.js';
import { containerSecurity, verifyRunAsNonRoot } from './security-context.js';
import { ZERO_TIME } from '../api/kinds.js';

/** flowcontrol.Backoff as the kubelet configures it for crashing containers. */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const DEFAULT_GRACE_SECONDS = 30;
const MINIMUM_GRACE_SECONDS = 2;

export type ContainerField = 'containers' | 'initContainers';

/** The grace period of a stop: the delete's, else the pod's terminationGracePeriodSeconds, else 30 s. */
export function gracePeriod(pod: Pod): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

export interface ContainersDeps {
  runtime: Runtime;
  clock: Clock;
  events: EventSink;
  /** `<dataDir>/pods`: logs and scratch space per pod and container. */
  podsDir: string;
  apiServer: ApiServerAddress;
  hostIP: string;
  nodeAllocatable: Record<string, string>;
  /** What container environments refer to, from the shared informers. */
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
  services(): Service[];
  /** Syncs the pod again, at once or after a while. */
  requeue(uid: string, afterMs?: number): void;
}

export class Containers {
  constructor(private readonly deps: ContainersDeps) {}

  /** Starts (or restarts) a container: environment, image events, the runtime, the status. */
  async start(rec: PodRec, container: Container, field: ContainerField, prev: ContainerRec | undefined): Promise<void> {
    const { clock, events } = this.deps;
    const pod = rec.pod;
    const name = container.name;
    const ref = podRef(pod, `spec.${field}{${name}}`);
    const image = container.image ?? '';
    const restarted = !!prev && everStarted(prev);
    const restartCount = restarted ? prev!.status.restartCount + 1 : 0;
    const previous = prev?.status.state?.terminated ?? prev?.status.lastState?.terminated;
    const cr: ContainerRec = prev ?? { name, status: waitingStatus(container, REASON.ContainerCreating) };
    rec.containers.set(name, cr);

    // What keeps the container from being created (generateContainerConfig): its environment,
    // then runAsNonRoot.
    let env: Record<string, string> = {};
    let configError: string | undefined;
    try {
      env = containerEnv(pod, container, {
        configMap: this.deps.configMap,
        secret: this.deps.secret,
        services: this.deps.services,
        podIPs: rec.podIPs,
        hostIPs: [this.deps.hostIP],
        nodeAllocatable: this.deps.nodeAllocatable,
        warn: (reason, message) => events.event(podRef(pod), 'Warning', reason, message),
      });
    } catch (err) {
      if (!(err instanceof EnvError)) throw err;
      configError = err.message;
    }
    configError ??= verifyRunAsNonRoot(pod, container);
    if (configError !== undefined) {
      const before = cr.status.state?.waiting;
      cr.status = { ...waitingStatus(container, REASON.CreateContainerConfigError, cr.status, configError), restartCount: cr.status.restartCount };
      if (before?.reason !== REASON.CreateContainerConfigError || before.message !== configError) events.event(ref, 'Warning', 'Failed', `Error: ${configError}`);
      this.deps.requeue(rec.uid, 10_000);
      return;
    }

    const policy = container.imagePullPolicy || 'IfNotPresent';
    if (policy === 'Always') {
      const began = Date.now();
      events.event(ref, 'Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
      const took = goMillis(Date.now() - began);
      events.event(ref, 'Normal', 'Pulled', `Successfully pulled image ${JSON.stringify(image)} in ${took} (${took} including waiting). Image size: 0 bytes.`);
    } else {
      events.event(ref, 'Normal', 'Pulled', `Container image ${JSON.stringify(image)} already present on machine`);
    }

    const id = randomBytes(32).toString('hex');
    const run = this.containerRun(rec, container, id, restartCount, env);
    events.event(ref, 'Normal', 'Created', `Created container: ${name}`);
    let handle: ContainerHandle;
    try {
      handle = await this.deps.runtime.start(run);
    } catch (err) {
      const message = (err as Error).message;
      events.event(ref, 'Warning', 'Failed', `Error: ${message}`);
      const finished = formatTime(clock.now());
      cr.status = {
        ...waitingStatus(container, 'RunContainerError', cr.status, message),
        restartCount,
        lastState: { terminated: { exitCode: 128, reason: 'StartError', message, startedAt: ZERO_TIME, finishedAt: finished, containerID: `${RUNTIME_SCHEME}://${id}` } },
      };
      cr.backoff ??= { delayMs: BACKOFF_INITIAL_MS, lastUpdate: clock.now().getTime() };
      this.deps.requeue(rec.uid, BACKOFF_INITIAL_MS);
      return;
    }
    events.event(ref, 'Normal', 'Started', `Started container ${name}`);
    const mounts = volumeMountStatuses(container);
    cr.handle = handle;
    cr.run = run;
    cr.image = image;
    cr.status = {
      name,
      state: { running: { startedAt: formatTime(clock.now()) } },
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

  /** The CrashLoopBackOff decision (doBackOff): wait while inside the delay, else restart now. */
  async restartWithBackoff(rec: PodRec, container: Container, cr: ContainerRec, field: ContainerField): Promise<void> {
    const term = cr.status.state?.terminated ?? cr.status.lastState?.terminated;
    if (!term) {
      // Never ran (a config error): try again.
      await this.start(rec, container, field, cr);
      return;
    }
    const now = this.deps.clock.now().getTime();
    const finished = term.finishedAt ? Date.parse(term.finishedAt) : now;
    const b = cr.backoff;
    const expired = !b || finished - b.lastUpdate > 2 * BACKOFF_MAX_MS;
    if (!expired && now - finished < b!.delayMs) {
      const message = `back-off ${goDuration(b!.delayMs)} restarting failed container=${cr.name} pod=${podFullName(rec.pod)}`;
      const wasWaiting = cr.status.state?.waiting?.reason === REASON.CrashLoopBackOff;
      cr.status = { ...cr.status, state: { waiting: { reason: REASON.CrashLoopBackOff, message } }, lastState: { terminated: term }, ready: false, started: false };
      if (!wasWaiting) {
        this.deps.events.event(podRef(rec.pod, `spec.${field}{${cr.name}}`), 'Warning', 'BackOff', `Back-off restarting failed container ${cr.name} in pod ${podFullName(rec.pod)}`);
      }
      this.deps.requeue(rec.uid, Math.max(100, finished + b!.delayMs - now));
      return;
    }
    cr.backoff = expired ? { delayMs: BACKOFF_INITIAL_MS, lastUpdate: now } : { delayMs: Math.min(b!.delayMs * 2, BACKOFF_MAX_MS), lastUpdate: now };
    await this.start(rec, container, field, cr);
  }

  /** Simulated containers found running in the status run on (a new handle, the same container). */
  async reattach(rec: PodRec): Promise<void> {
    const spec = rec.pod.spec;
    const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
    for (const c of rec.containers.values()) {
      if (!c.status.state?.running) continue;
      const container = all.find((x) => x.name === c.name);
      if (!container) continue;
      const id = (c.status.containerID ?? '').replace(`${RUNTIME_SCHEME}://`, '') || randomBytes(32).toString('hex');
      const run = this.containerRun(rec, container, id, c.status.restartCount, {});
      c.run = run;
      c.image = container.image ?? '';
      c.handle = await this.deps.runtime.start(run);
      this.watchExit(rec, c, c.handle);
    }
  }

  async stop(rec: PodRec, cr: ContainerRec, field: ContainerField, graceSeconds: number, message?: string): Promise<void> {
    const handle = cr.handle;
    if (!handle) return;
    const isRegular = (rec.pod.spec?.containers ?? []).some((c) => c.name === cr.name);
    this.deps.events.event(podRef(rec.pod, `spec.${isRegular ? 'containers' : field}{${cr.name}}`), 'Normal', 'Killing', message ?? `Stopping container ${cr.name}`);
    // The kubelet gives every container at least 2 s (minimumGracePeriodInSeconds).
    const exit = await handle.stop(Math.max(MINIMUM_GRACE_SECONDS, graceSeconds) * 1000);
    this.onExit(rec, cr, handle, exit);
  }

  /** Stops every container of the pod, regular ones first, then sidecars. */
  async killPod(rec: PodRec, graceSeconds: number): Promise<void> {
    const regular = new Set((rec.pod.spec?.containers ?? []).map((c) => c.name));
    const running = [...rec.containers.values()].filter((c) => c.handle);
    await Promise.all(running.filter((c) => regular.has(c.name)).map((c) => this.stop(rec, c, 'containers', graceSeconds)));
    await Promise.all(running.filter((c) => !regular.has(c.name)).map((c) => this.stop(rec, c, 'initContainers', graceSeconds)));
  }

  private containerRun(rec: PodRec, container: Container, id: string, restartCount: number, env: Record<string, string>): ContainerRun {
    const name = container.name;
    const logDir = join(this.deps.podsDir, rec.uid, 'logs', name);
    const scratchDir = join(this.deps.podsDir, rec.uid, 'containers', name);
    mkdirSync(logDir, { recursive: true });
    mkdirSync(scratchDir, { recursive: true });
    const logPath = join(logDir, `${restartCount}.log`);
    if (!existsSync(logPath)) closeSync(openSync(logPath, 'a', 0o640));
    const mapping = mappingFor(new Map(Object.entries(env)));
    const mounts: Mount[] = [];
    for (const m of container.volumeMounts ?? []) {
      const base = rec.paths?.get(m.name);
      if (!base) continue;
      const sub = m.subPath || (m.subPathExpr ? expand(m.subPathExpr, mapping) : '');
      mounts.push({ containerPath: m.mountPath, hostPath: sub ? join(base, sub) : base, readOnly: m.readOnly === true });
    }
    return {
      pod: rec.pod,
      container,
      id,
      restartCount,
      env,
      apiServer: this.deps.apiServer,
      mounts,
      logPath,
      scratchDir,
      security: containerSecurity(rec.pod, container),
    };
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
    const running = cr.status.state?.running;
    const term: ContainerStateTerminated = {
      exitCode: exit.exitCode,
      reason: exit.reason || (exit.exitCode === 0 ? REASON.Completed : REASON.Error),
      ...(exit.message ? { message: exit.message } : {}),
      startedAt: running?.startedAt ?? ZERO_TIME,
      finishedAt: formatTime(this.deps.clock.now()),
      ...(cr.status.containerID ? { containerID: cr.status.containerID } : {}),
    };
    // A regular init container that succeeded counts as ready (the prober's UpdatePodStatus).
    const init = (rec.pod.spec?.initContainers ?? []).find((c) => c.name === cr.name);
    const ready = !!init && init.restartPolicy !== 'Always' && exit.exitCode === 0;
    cr.status = { ...cr.status, state: { terminated: term }, ready, started: false };
    this.deps.requeue(rec.uid);
  }
}

// pods/log, exec, attach and portforward on this node (the kubelet's streaming server,
// PodStreams): the pod from the shared informer (or the API), the container named or the only
// one, then its CRI log file or the runtime's exec, attach or port forwarding.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import { ApiError, badRequest } from '../api/errors.js';
import { goQuote } from '../api/go-quote.js';
import type { Pod } from '../api/kinds.js';
import type { ExecOptions, ExecStreams, LogOptions, PodStreams, PortForwarder } from '../api/node-streams.js';
import { R, type Client } from '../client/client.js';
import type { SharedInformer } from '../client/informer.js';
import { readCriLog } from './logs.js';
import type { PodRec } from './pod-record.js';
import { REASON } from './pod-status.js';
import type { Runtime } from './runtime/runtime.js';
import { SimulatedRuntimeError } from './runtime/simulated.js';

export interface NodeStreamsDeps {
  client: Client;
  clock: Clock;
  nodeName: string;
  runtime: Runtime;
  pods: SharedInformer<Pod>;
  /** `<dataDir>/pods`, where the logs are. */
  podsDir: string;
  /** What the agent knows of a pod it runs. */
  record(uid: string): PodRec | undefined;
}

export class NodeStreams implements PodStreams {
  constructor(private readonly deps: NodeStreamsDeps) {}

  async logs(namespace: string, name: string, opts: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
    const { pod, rec } = await this.findPod(namespace, name);
    const container = containerName(pod, opts.container);
    const cs = containerStatus(pod, rec, container);
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
    const path = join(this.deps.podsDir, pod.metadata.uid!, 'logs', container, `${Math.max(0, file)}.log`);
    const running = () => {
      const now = rec?.containers.get(container);
      return !!now?.handle && now.status.restartCount === file;
    };
    // NewLogOptions: since from sinceSeconds, or sinceTime when that is later.
    let since = opts.sinceSeconds !== undefined ? new Date(this.deps.clock.now().getTime() - opts.sinceSeconds * 1000) : undefined;
    if (opts.sinceTime && (!since || opts.sinceTime > since)) since = opts.sinceTime;
    await readCriLog(path, { tailLines: opts.tailLines, limitBytes: opts.limitBytes, since, timestamps: opts.timestamps, follow: opts.follow }, out, signal, running);
  }

  async exec(namespace: string, name: string, opts: ExecOptions, streams: ExecStreams): Promise<number> {
    const { runtime } = this.deps;
    const { pod, rec } = await this.findPod(namespace, name);
    const phase = pod.status?.phase ?? '';
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = containerName(pod, opts.container);
    const cr = rec?.containers.get(container);
    if (!cr?.handle || !cr.run) {
      if (runtime.name === 'simulated') throw badRequest(new SimulatedRuntimeError('exec').message);
      throw badRequest(`container not found (${JSON.stringify(container)})`);
    }
    try {
      return await runtime.exec(cr.handle, cr.run, opts.command, streams);
    } catch (err) {
      if (err instanceof SimulatedRuntimeError) throw badRequest(err.message);
      throw err;
    }
  }

  async attach(namespace: string, name: string, opts: { container?: string }, streams: ExecStreams): Promise<void> {
    const { runtime } = this.deps;
    const { pod, rec } = await this.findPod(namespace, name);
    const container = containerName(pod, opts.container);
    const cr = rec?.containers.get(container);
    if (!cr?.handle || !cr.run) {
      if (runtime.name === 'simulated') throw badRequest(new SimulatedRuntimeError('attach').message);
      throw badRequest(`container not found (${JSON.stringify(container)})`);
    }
    try {
      await runtime.attach(cr.handle, cr.run, streams);
    } catch (err) {
      if (err instanceof SimulatedRuntimeError) throw badRequest(err.message);
      throw err;
    }
  }

  async portForward(namespace: string, name: string): Promise<PortForwarder> {
    const { runtime } = this.deps;
    const { pod, rec } = await this.findPod(namespace, name);
    if (runtime.name === 'simulated') throw badRequest(new SimulatedRuntimeError('portforward').message);
    // The kubelet's GetPortForward: the pod must be running here.
    if (!rec?.sandboxReady || rec.terminal) throw new ApiError(500, '', `pod not found (${goQuote(`${pod.metadata.name}_${pod.metadata.namespace}`)})`);
    const sandbox = sandboxId(pod.metadata.uid!);
    return async (port, stream) => {
      try {
        await runtime.portForward(sandbox, port, stream);
      } catch (err) {
        // The CRI streaming server names the pod by its sandbox and leaves the uid empty.
        throw new Error(`error forwarding port ${port} to pod ${sandbox}, uid : ${(err as Error).message}`);
      }
    };
  }

  /** The pod, if it is on this node. */
  private async findPod(namespace: string, name: string): Promise<{ pod: Pod; rec?: PodRec }> {
    const pod = this.deps.pods.get(namespace, name) ?? (await this.deps.client.get(R.pods, namespace, name));
    const nodeName = pod.spec?.nodeName ?? '';
    if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    if (nodeName !== this.deps.nodeName) throw badRequest(`pod ${name} is on node ${nodeName}, not on ${this.deps.nodeName}`);
    return { pod, rec: this.deps.record(pod.metadata.uid!) };
  }
}

/** A pod's sandbox ID (64 hex digits, as containerd's): this runtime has no sandbox of its own to name. */
const sandboxId = (uid: string) => createHash('sha256').update(`sandbox:${uid}`).digest('hex');

/** validateContainer of the pods/log and pods/exec REST: the named container, or the only one. */
function containerName(pod: Pod, requested: string | undefined): string {
  const spec = pod.spec;
  const names = (spec?.containers ?? []).map((c) => c.name);
  const inits = (spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (spec?.ephemeralContainers ?? []).map((c) => c.name);
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

function containerStatus(pod: Pod, rec: PodRec | undefined, container: string): ContainerStatus | undefined {
  const fromRec = rec?.containers.get(container)?.status;
  if (fromRec) return fromRec;
  const status = pod.status;
  return [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])].find((c) => c.name === container);
}

function waitingReason(pod: Pod): string {
  return pod.spec?.initContainers?.length ? REASON.PodInitializing : REASON.ContainerCreating;
}

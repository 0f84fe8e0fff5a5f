// The node agent's side of the resource metrics API (the kubelet's summary, in small): it samples
// the host and each running container on a timer, and answers ResourceUsage with CPU as the
// change of cumulative CPU time between a container's last two samples over the time between them,
// and memory as the working set of the last. A container is first sampled within a tick of its
// start, a second time FIRST_WINDOW_MS later, then every INTERVAL_MS. A runtime that runs nothing
// (simulated) measures nothing: its running containers report zero, and each such pod gets an
// Event saying so the first time its figures are read.
import type { Clock } from '../../api/clock.js';
import type { NodeUsage, PodUsage, ResourceUsage, Usage } from '../../api/resource-usage.js';
import { podRef, type EventSink } from '../events.js';
import type { PodRec } from '../pod-record.js';
import type { ContainerHandle } from '../runtime/runtime.js';
import type { KernelSample } from './kernel.js';

/** How often a container (and the host) is sampled: the kubelet's housekeeping, as metrics-server's window shows it. */
export const INTERVAL_MS = 10_000;
/** The first window of a new container or of the host, so that figures come soon after it starts. */
export const FIRST_WINDOW_MS = 5_000;
/** How often the sampler looks for what is due. */
const TICK_MS = 1_000;
/** At most this many containers are read in one tick; the rest wait for the next. */
const MAX_PER_TICK = 64;

export const NOT_MEASURED_REASON = 'UsageNotMeasured';
export const NOT_MEASURED_MESSAGE =
  "The simulated runtime runs no processes, so nothing is measured: the metrics API reports zero CPU and memory for this pod's containers. Start the server with `badge server --runtime process` to measure them.";

interface Point extends KernelSample {
  at: number;
}

interface Series {
  prev?: Point;
  last?: Point;
}

/** Usage between two samples (resourceUsage in metrics-server): nanocores and the last working set. */
export function usageBetween(prev: Point, last: Point): { usage: Usage; windowMs: number } | undefined {
  const windowMs = last.at - prev.at;
  // A decrease means another process tree (a restart): no figure until two samples of the new one.
  if (windowMs <= 0 || last.cpuNs < prev.cpuNs) return undefined;
  return { usage: { cpuNanoCores: Math.floor(((last.cpuNs - prev.cpuNs) * 1000) / windowMs), memoryBytes: last.memoryBytes }, windowMs };
}

const due = (s: Series | undefined, now: number) => !s?.last || now - s.last.at >= (s.prev ? INTERVAL_MS : FIRST_WINDOW_MS);

function add(s: Series, p: Point): void {
  s.prev = s.last;
  s.last = p;
}

export interface UsageSamplerDeps {
  clock: Clock;
  nodeName: string;
  /** The pods the agent runs. */
  pods(): Iterable<PodRec>;
  /** A running container's figures; absent when the runtime runs nothing to measure. */
  measure?: (handle: ContainerHandle) => Promise<KernelSample | undefined>;
  /** The host's figures. */
  host(): Promise<KernelSample | undefined>;
  events: EventSink;
}

export class UsageSampler implements ResourceUsage {
  private readonly series = new Map<string, Series>();
  private readonly hostSeries: Series = {};
  /** By namespace/name; `unmeasured` holds the pod whose zeros stand for figures nobody took. */
  private podUsage = new Map<string, { usage: PodUsage; unmeasured?: PodRec }>();
  private readonly told = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: UsageSamplerDeps) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  node(name: string): NodeUsage | undefined {
    const { prev, last } = this.hostSeries;
    if (name !== this.deps.nodeName || !prev || !last) return undefined;
    const u = usageBetween(prev, last);
    return u && { timestamp: new Date(last.at), windowMs: u.windowMs, usage: u.usage };
  }

  pod(namespace: string, name: string): PodUsage | undefined {
    const entry = this.podUsage.get(`${namespace}/${name}`);
    const rec = entry?.unmeasured;
    if (rec && !this.told.has(rec.uid)) {
      this.told.add(rec.uid);
      this.deps.events.event(podRef(rec.pod), 'Normal', NOT_MEASURED_REASON, NOT_MEASURED_MESSAGE);
    }
    return entry?.usage;
  }

  /** Takes the samples that are due, then recomputes every pod's usage. One at a time. */
  tick(): Promise<void> {
    this.running ??= this.sample().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sample(): Promise<void> {
    const { clock, measure } = this.deps;
    let now = clock.now().getTime();
    if (due(this.hostSeries, now)) {
      const h = await this.deps.host().catch(() => undefined);
      if (h) add(this.hostSeries, { ...h, at: now });
    }
    const running: { rec: PodRec; name: string; id: string; handle: ContainerHandle }[] = [];
    for (const rec of this.deps.pods()) {
      for (const [name, cr] of rec.containers) {
        const id = cr.status.containerID;
        if (cr.handle && id && cr.status.state?.running) running.push({ rec, name, id, handle: cr.handle });
      }
    }
    if (measure) {
      let read = 0;
      for (const c of running) {
        now = clock.now().getTime();
        if (read >= MAX_PER_TICK || !due(this.series.get(c.id), now)) continue;
        read++;
        const s = await measure(c.handle).catch(() => undefined);
        if (!s) continue;
        const series = this.series.get(c.id) ?? {};
        add(series, { ...s, at: now });
        this.series.set(c.id, series);
      }
    }
    const ids = new Set(running.map((c) => c.id));
    for (const id of this.series.keys()) if (!ids.has(id)) this.series.delete(id);
    this.podUsage = this.usageOfPods(running, clock.now());
  }

  private usageOfPods(running: { rec: PodRec; name: string; id: string }[], now: Date): Map<string, { usage: PodUsage; unmeasured?: PodRec }> {
    const byPod = new Map<PodRec, { name: string; id: string }[]>();
    for (const c of running) byPod.set(c.rec, [...(byPod.get(c.rec) ?? []), c]);
    const out = new Map<string, { usage: PodUsage; unmeasured?: PodRec }>();
    for (const [rec, containers] of byPod) {
      const key = `${rec.namespace}/${rec.name}`;
      if (!this.deps.measure) {
        const zero = containers.map((c) => ({ name: c.name, usage: { cpuNanoCores: 0, memoryBytes: 0 } }));
        out.set(key, { usage: { timestamp: now, windowMs: INTERVAL_MS, containers: zero }, unmeasured: rec });
        continue;
      }
      // As metrics-server: a pod has figures once every running container has, at the earliest
      // container's timestamp.
      const figures = containers.map((c) => {
        const s = this.series.get(c.id);
        const u = s?.prev && s.last ? usageBetween(s.prev, s.last) : undefined;
        return u && { name: c.name, usage: u.usage, at: s!.last!.at, windowMs: u.windowMs };
      });
      if (figures.some((f) => !f)) continue;
      const earliest = figures.reduce((a, b) => (b!.at < a!.at ? b : a))!;
      out.set(key, { usage: { timestamp: new Date(earliest.at), windowMs: earliest.windowMs, containers: figures.map((f) => ({ name: f!.name, usage: f!.usage })) } });
    }
    const uids = new Set([...byPod.keys()].map((r) => r.uid));
    for (const uid of this.told) if (!uids.has(uid)) this.told.delete(uid);
    return out;
  }
}

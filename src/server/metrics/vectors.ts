// Counters, gauges and histograms with labels, kept in plain maps so that recording one on the
// request path is a map lookup and an addition (prom-client's own vectors hash the labels on every
// call). They are prom-client metrics all the same: registered in its Registry, which writes
// them in the Prometheus text format beside its own (see vectors.test.ts, which checks the text
// against prom-client's Counter and Histogram).

/** What prom-client's Registry reads of a metric. */
interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

export interface PromMetric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; values: MetricValue[]; aggregator: 'sum' }>;
  reset(): void;
}

/** More label sets than this in one vector are not recorded (a safety net: labels are bounded). */
export const MAX_SERIES = 10_000;

abstract class Vector<S> implements PromMetric {
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator = 'sum' as const;
  protected readonly series = new Map<string, { labels: string[]; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: string[],
  ) {}

  /** A metric without labels has its one series from the start (written as 0 until recorded). */
  protected ensureUnlabelled(): void {
    if (!this.labelNames.length) this.at([]);
  }

  protected abstract fresh(): S;
  protected abstract values(labels: Record<string, string>, state: S): MetricValue[];

  /** The state of one label set (values in labelNames' order); undefined past MAX_SERIES. */
  protected at(values: string[]): S | undefined {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= MAX_SERIES) return undefined;
      s = { labels: values, state: this.fresh() };
      this.series.set(key, s);
    }
    return s.state;
  }

  async get() {
    const values: MetricValue[] = [];
    // Labels in name order, as Prometheus' Go client writes them (a histogram's le last).
    const order = this.labelNames.map((n, i) => [n, i] as const).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const { labels, state } of this.series.values()) {
      const named: Record<string, string> = {};
      for (const [n, i] of order) named[n] = labels[i]!;
      values.push(...this.values(named, state));
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

export class CounterVec extends Vector<{ n: number }> {
  readonly type = 'counter' as const;
  constructor(name: string, help: string, labelNames: string[]) {
    super(name, help, labelNames);
    this.ensureUnlabelled();
  }
  protected fresh() {
    return { n: 0 };
  }
  protected values(labels: Record<string, string>, s: { n: number }) {
    return [{ labels, value: s.n }];
  }
  inc(values: string[], by = 1): void {
    const s = this.at(values);
    if (s) s.n += by;
  }
}

export class GaugeVec extends Vector<{ n: number }> {
  readonly type = 'gauge' as const;
  protected fresh() {
    return { n: 0 };
  }
  protected values(labels: Record<string, string>, s: { n: number }) {
    return [{ labels, value: s.n }];
  }
  add(values: string[], by: number): void {
    const s = this.at(values);
    if (s) s.n += by;
  }
  set(values: string[], to: number): void {
    const s = this.at(values);
    if (s) s.n = to;
  }
}

interface Buckets {
  counts: number[];
  sum: number;
  count: number;
}

export class HistogramVec extends Vector<Buckets> {
  readonly type = 'histogram' as const;

  constructor(
    name: string,
    help: string,
    labelNames: string[],
    readonly buckets: number[],
  ) {
    super(name, help, labelNames);
  }

  protected fresh(): Buckets {
    return { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
  }

  protected values(labels: Record<string, string>, s: Buckets): MetricValue[] {
    const out: MetricValue[] = [];
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += s.counts[i]!;
      out.push({ labels: { ...labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
    });
    out.push({ labels: { ...labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket` });
    out.push({ labels, value: s.sum, metricName: `${this.name}_sum` });
    out.push({ labels, value: s.count, metricName: `${this.name}_count` });
    return out;
  }

  observe(values: string[], v: number): void {
    const s = this.at(values);
    if (!s) return;
    s.sum += v;
    s.count++;
    const i = this.buckets.findIndex((le) => v <= le);
    if (i >= 0) s.counts[i]!++;
  }
}

/** A gauge read when scraped. */
export class CallbackGauge implements PromMetric {
  readonly type = 'gauge' as const;
  readonly aggregator = 'sum' as const;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Promise<{ labels: Record<string, string>; value: number }[]> | { labels: Record<string, string>; value: number }[],
  ) {}

  async get() {
    return { name: this.name, help: this.help, type: this.type, values: await this.read(), aggregator: this.aggregator };
  }

  reset(): void {}
}

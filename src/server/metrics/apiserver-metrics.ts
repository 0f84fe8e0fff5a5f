// Badge's own metrics, served on /metrics in the Prometheus text format under kube-apiserver's
// names, labels, buckets and help texts (k8s.io/apiserver endpoints/metrics, storage/etcd3/metrics,
// authentication and serviceaccount metrics): requests, their latency, long-running and
// in-flight requests, authentication, ServiceAccount token use, stored objects and the storage's
// own latency; prom-client's process_* and nodejs_* basics from the first scrape on. prom-client
// itself is loaded at the first scrape: a server nobody scrapes never loads it.
import type { Registry } from 'prom-client';
import { CallbackGauge, CounterVec, GaugeVec, HistogramVec, type PromMetric } from './vectors.js';

/** The buckets of apiserver_request_duration_seconds and etcd_request_duration_seconds. */
export const LATENCY_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export const REQUEST_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'];

export type RequestKind = 'readOnly' | 'mutating';

/** The count of stored objects of one resource, for apiserver_storage_objects (-1: it could not be read). */
export interface StoredCount {
  group: string;
  resource: string;
  count: number;
}

/** The Prometheus text format's media type. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export class ApiServerMetrics {
  readonly requests = new CounterVec(
    'apiserver_request_total',
    '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    REQUEST_LABELS,
  );
  readonly latency = new HistogramVec(
    'apiserver_request_duration_seconds',
    '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    REQUEST_LABELS.slice(0, -1),
    LATENCY_BUCKETS,
  );
  readonly longRunning = new GaugeVec(
    'apiserver_longrunning_requests',
    '[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
    ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
  );
  readonly authenticationAttempts = new CounterVec('authentication_attempts', '[ALPHA] Counter of authenticated attempts.', ['result']);
  readonly authenticatedUserRequests = new CounterVec('authenticated_user_requests', '[ALPHA] Counter of authenticated requests broken out by username.', ['username']);
  readonly legacyTokens = new CounterVec('serviceaccount_legacy_tokens_total', '[ALPHA] Cumulative legacy service account tokens used', []);
  readonly staleTokens = new CounterVec('serviceaccount_stale_tokens_total', '[ALPHA] Cumulative stale projected service account tokens used', []);
  readonly validTokens = new CounterVec('serviceaccount_valid_tokens_total', '[ALPHA] Cumulative valid projected service account tokens used', []);
  /** One per audit event written (server/audit/auditor.ts). */
  readonly auditEvents = new CounterVec('apiserver_audit_event_total', '[ALPHA] Counter of audit events generated and sent to the audit backend.', []);
  readonly storageLatency = new HistogramVec('etcd_request_duration_seconds', '[ALPHA] Etcd request latency in seconds for each operation and object type.', ['operation', 'group', 'resource'], LATENCY_BUCKETS);
  readonly storageRequests = new CounterVec('etcd_requests_total', '[ALPHA] Etcd request counts for each operation and object type.', ['operation', 'group', 'resource']);
  readonly storageErrors = new CounterVec('etcd_request_errors_total', '[ALPHA] Etcd failed request counts for each operation and object type.', ['operation', 'group', 'resource']);

  /** Requests in flight now, and the most since the last scrape (what apiserver_current_inflight_requests reports). */
  private readonly inFlight = { readOnly: { now: 0, peak: 0 }, mutating: { now: 0, peak: 0 } };
  private readonly all: PromMetric[];
  private registry: Promise<Registry> | undefined;
  private counts: { at: number; counts: StoredCount[] } | undefined;

  /** `countObjects` reads the stored objects' counts (asked at most every `countEveryMs`). */
  constructor(
    private readonly countObjects: () => Promise<StoredCount[]>,
    private readonly clock: () => number = Date.now,
    private readonly countEveryMs = 10_000,
  ) {
    const inflight = new CallbackGauge(
      'apiserver_current_inflight_requests',
      '[STABLE] Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      () =>
        (['mutating', 'readOnly'] as const).map((kind) => {
          const k = this.inFlight[kind];
          const value = k.peak;
          k.peak = k.now;
          return { labels: { request_kind: kind }, value };
        }),
    );
    const storedObjects = new CallbackGauge(
      'apiserver_storage_objects',
      '[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.',
      async () => (await this.storedCounts()).map((c) => ({ labels: { resource: c.group ? `${c.resource}.${c.group}` : c.resource }, value: c.count })),
    );
    const resourceObjects = new CallbackGauge(
      'apiserver_resource_objects',
      '[ALPHA] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.',
      async () => (await this.storedCounts()).map((c) => ({ labels: { group: c.group, resource: c.resource }, value: c.count })),
    );
    this.all = [
      this.requests,
      this.latency,
      this.longRunning,
      inflight,
      this.authenticationAttempts,
      this.authenticatedUserRequests,
      this.legacyTokens,
      this.staleTokens,
      this.validTokens,
      this.auditEvents,
      storedObjects,
      resourceObjects,
      this.storageLatency,
      this.storageRequests,
      this.storageErrors,
    ];
  }

  /** The Prometheus text; the first call loads prom-client and starts its process and Node.js metrics. */
  async text(): Promise<string> {
    this.registry ??= import('prom-client').then(({ Registry, collectDefaultMetrics }) => {
      const registry = new Registry();
      // prom-client takes any object with its metric shape.
      for (const m of this.all) registry.registerMetric(m as unknown as Parameters<Registry['registerMetric']>[0]);
      collectDefaultMetrics({ register: registry });
      return registry;
    });
    return (await this.registry).metrics();
  }

  requestStarted(kind: RequestKind): void {
    const k = this.inFlight[kind];
    if (++k.now > k.peak) k.peak = k.now;
  }

  requestEnded(kind: RequestKind): void {
    this.inFlight[kind].now--;
  }

  /** authenticated_user_requests' username: known internal identities, "email_id", or "other". */
  static compressUsername(username: string): string {
    if (['admin', 'client', 'kube_proxy', 'kubelet', 'system:serviceaccount:kube-system:default'].includes(username)) return username;
    return username.includes('@') ? 'email_id' : 'other';
  }

  private async storedCounts(): Promise<StoredCount[]> {
    const now = this.clock();
    if (!this.counts || now - this.counts.at >= this.countEveryMs) this.counts = { at: now, counts: await this.countObjects() };
    return this.counts.counts;
  }
}

// Audit events (audit.k8s.io/v1 Event) as kube-apiserver's audit filters make them
// (k8s.io/apiserver pkg/audit/request.go, pkg/endpoints/filters/audit.go), one JSON line each.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Status } from '../../api/errors.js';
import type { UserInfo } from '../../api/user.js';
import type { ApiServerMetrics } from '../metrics/apiserver-metrics.js';
import type { RequestInfo } from '../request-info.js';
import type { LineWriter } from './log-file.js';
import { atLeast, evaluatePolicy, type AuditAttributes, type Policy, type RequestAuditConfig, type Stage } from './policy.js';

const MAX_USER_AGENT = 1024;

export interface ObjectRef {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

/** The event of one request, filled in as the request goes through the pipeline. */
export interface AuditRecord {
  config: RequestAuditConfig;
  auditID: string;
  requestURI: string;
  verb: string;
  user: UserInfo | undefined;
  impersonatedUser?: UserInfo;
  sourceIPs: string[];
  userAgent: string;
  objectRef?: ObjectRef;
  responseStatus?: Partial<Status>;
  requestObject?: unknown;
  responseObject?: unknown;
  /** Wall clock (ms, with a fraction) when the request arrived. */
  received: number;
  annotations: Record<string, string>;
}

export interface AuditorOptions {
  policy: Policy;
  writer: LineWriter;
  metrics?: ApiServerMetrics;
  /** Wall clock in ms with a fraction (default performance.timeOrigin + performance.now()). */
  now?: () => number;
}

export class Auditor {
  readonly now: () => number;
  constructor(private readonly opts: AuditorOptions) {
    this.now = opts.now ?? (() => performance.timeOrigin + performance.now());
  }

  close(): void {
    this.opts.writer.close();
  }

  evaluate(a: AuditAttributes): RequestAuditConfig {
    return evaluatePolicy(this.opts.policy, a);
  }

  /** The event's fields known when the request arrives (LogRequestMetadata). */
  record(config: RequestAuditConfig, auditID: string, req: IncomingMessage, info: RequestInfo, user: UserInfo | undefined, received: number, annotations: Record<string, string>): AuditRecord {
    const agent = req.headers['user-agent'] ?? '';
    return {
      config,
      auditID,
      requestURI: req.url ?? '',
      verb: info.verb,
      user,
      sourceIPs: sourceIPs(req),
      userAgent: agent.length > MAX_USER_AGENT ? `${agent.slice(0, MAX_USER_AGENT)}...TRUNCATED` : agent,
      ...(info.isResourceRequest
        ? { objectRef: { resource: info.resource, namespace: info.namespace, name: info.name, apiGroup: info.apiGroup, apiVersion: info.apiVersion, subresource: info.subresource } }
        : {}),
      received,
      annotations,
    };
  }

  /** Writes the event at a stage, unless the policy omits that stage. */
  emit(r: AuditRecord, stage: Stage): void {
    if (r.config.omitStages.includes(stage)) return;
    const stamp = stage === 'RequestReceived' ? r.received : this.now();
    const event = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: r.config.level,
      auditID: r.auditID,
      stage,
      requestURI: r.requestURI,
      verb: r.verb,
      user: r.user ? userJson(r.user) : {},
      impersonatedUser: r.impersonatedUser && userJson(r.impersonatedUser),
      sourceIPs: r.sourceIPs,
      userAgent: r.userAgent || undefined,
      objectRef: r.objectRef && objectRefJson(r.objectRef),
      responseStatus: r.responseStatus,
      requestObject: atLeast(r.config.level, 'Request') ? r.requestObject : undefined,
      responseObject: atLeast(r.config.level, 'RequestResponse') ? r.responseObject : undefined,
      requestReceivedTimestamp: microTime(r.received),
      stageTimestamp: microTime(stamp),
      annotations: Object.keys(r.annotations).length ? r.annotations : undefined,
    };
    try {
      this.opts.writer.write(`${JSON.stringify(event)}\n`);
      this.opts.metrics?.auditEvents.inc([]);
    } catch (err) {
      console.error('badge: writing the audit log failed:', err);
    }
  }

  /** The request body's object: fills in the objectRef (any level), kept from Request level up (LogRequestObject). */
  requestObject(r: AuditRecord, obj: unknown): void {
    const meta = metadataOf(obj);
    if (r.objectRef && meta) {
      const ref = r.objectRef;
      ref.namespace ||= str(meta.namespace);
      ref.name ||= str(meta.name);
      ref.uid ||= str(meta.uid);
      ref.resourceVersion ||= str(meta.resourceVersion);
    }
    if (atLeast(r.config.level, 'Request')) r.requestObject = this.withoutManagedFields(r, obj);
  }

  /** A patch body, as sent (LogRequestPatch). */
  requestPatch(r: AuditRecord, patch: unknown): void {
    if (atLeast(r.config.level, 'Request')) r.requestObject = patch;
  }

  /** The reply's object, kept at RequestResponse level (LogResponseObject). */
  responseObject(r: AuditRecord, obj: unknown): void {
    if (atLeast(r.config.level, 'RequestResponse')) r.responseObject = this.withoutManagedFields(r, obj);
  }

  private withoutManagedFields(r: AuditRecord, obj: unknown): unknown {
    const meta = metadataOf(obj);
    if (!r.config.omitManagedFields || !meta || !('managedFields' in meta)) return obj;
    const { managedFields: _m, ...rest } = meta;
    return { ...(obj as object), metadata: rest };
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function metadataOf(obj: unknown): Record<string, unknown> | undefined {
  const meta = (obj as { metadata?: unknown } | undefined)?.metadata;
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
}

/** authentication/v1 UserInfo, empty fields left out. */
function userJson(u: UserInfo) {
  return { username: u.username || undefined, uid: u.uid || undefined, groups: u.groups.length ? u.groups : undefined, extra: u.extra && Object.keys(u.extra).length ? u.extra : undefined };
}

/** ObjectReference in its field order, empty fields left out. */
function objectRefJson(r: ObjectRef): ObjectRef {
  return {
    resource: r.resource || undefined,
    namespace: r.namespace || undefined,
    name: r.name || undefined,
    uid: r.uid || undefined,
    apiGroup: r.apiGroup || undefined,
    apiVersion: r.apiVersion || undefined,
    resourceVersion: r.resourceVersion || undefined,
    subresource: r.subresource || undefined,
  };
}

/** metav1.MicroTime: RFC 3339 with microseconds, UTC. */
export function microTime(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.floor((ms - whole) * 1000);
  return `${new Date(whole).toISOString().slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** utilnet.SourceIPs: X-Forwarded-For's addresses, X-Real-Ip (unless listed), then the connection's address (unless last). */
export function sourceIPs(req: IncomingMessage): string[] {
  const ips: string[] = [];
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  for (const part of header('x-forwarded-for').split(',')) {
    const ip = normalizeIp(part.trim());
    if (ip) ips.push(ip);
  }
  const real = normalizeIp(header('x-real-ip'));
  if (real && !ips.includes(real)) ips.push(real);
  const remote = normalizeIp(req.socket?.remoteAddress ?? '');
  if (remote && ips[ips.length - 1] !== remote) ips.push(remote);
  return ips;
}

/** An address as Go prints it (IPv4-mapped IPv6 as IPv4); '' if it is none. */
function normalizeIp(s: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped) return mapped[1]!;
  return isIP(s) ? s.toLowerCase() : '';
}

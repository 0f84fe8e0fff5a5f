// Reading kube-apiserver audit logs (audit.k8s.io v1, v1beta1, v1alpha1 Events): JSON lines, YAML
// documents, EventLists or v1 Lists, from files, directories (rotated logs together, .gz included)
// or stdin; one use per request (deduplicated by auditID, the final stage read), as the
// authorizer's attributes of the identity authorization checked.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parseDuration } from '../api/duration.js';
import { yaml } from '../api/yaml.js';
import { LEGACY_TOKEN_ANNOTATION, STALE_TOKEN_ANNOTATION } from '../api/well-known.js';
import type { Request } from './policy.js';

interface EventUser {
  username?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** The fields of an audit Event the analysis reads (the three versions share them; v1alpha1 has `timestamp` and objectRef.apiVersion `group/version`). */
export interface AuditEvent {
  kind?: string;
  auditID?: string;
  stage?: string;
  requestURI?: string;
  verb?: string;
  user?: EventUser;
  impersonatedUser?: EventUser;
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; apiVersion?: string; subresource?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
  timestamp?: string;
  annotations?: Record<string, string>;
  /** A TokenRequest's body, in events at level Request or RequestResponse. */
  requestObject?: { spec?: { expirationSeconds?: number } };
}

/** One request as the analysis counts it. */
export interface AuditUse {
  auditID: string;
  /** The identity authorization checked: impersonatedUser if present, else user. */
  username: string;
  groups: string[];
  /** The authenticated user (its extra names a ServiceAccount token's pod and credential). */
  user: EventUser;
  request: Request;
  requestURI: string;
  /** Milliseconds since the epoch (NaN when the event has no timestamp). */
  time: number;
  /** `allow`, `forbid`, or '' when the event has no authorization decision. */
  decision: string;
  /** The event's ServiceAccount token annotations (`authentication.k8s.io/legacy-token…`, `…/stale-token`), if any. */
  tokenAnnotations?: Record<string, string>;
  /** For a TokenRequest (create serviceaccounts/token) logged with its body: the expirationSeconds asked for. */
  expirationSeconds?: number;
}

export interface AuditReadOptions {
  /** Keep only requests of this username (the effective identity). */
  username?: string;
  /** Keep only requests in this namespace (objectRef.namespace). */
  namespace?: string;
  /** Keep only requests in the last `sinceMs` milliseconds before `now()`. */
  sinceMs?: number;
  now?: () => number;
  stdin?: () => Readable;
}

export interface AuditRead {
  uses: AuditUse[];
  /** Events parsed (JSON lines without the username asked for are not). */
  events: number;
  warnings: string[];
}

const DECISION = 'authorization.k8s.io/decision';
/** The token annotations kept: legacy-token and its variants, stale-token. */
const isTokenAnnotation = (key: string) => key.startsWith(LEGACY_TOKEN_ANNOTATION) || key === STALE_TOKEN_ANNOTATION;
const MAX_WARNINGS = 10;
/** A later stage replaces an earlier one of the same request; ResponseComplete and Panic are final. */
const STAGE_RANK: Record<string, number> = { RequestReceived: 1, ResponseStarted: 2, ResponseComplete: 3, Panic: 3 };

/** `--since`: a Go duration (`30m`, `1h30m`), days allowed (`7d`, `1d12h`); milliseconds. */
export function parseSince(text: string): number {
  const days = /^(\d+(?:\.\d+)?)d(.*)$/.exec(text);
  const ms = days ? Number(days[1]) * 86_400_000 + (days[2] ? parseDuration(days[2]) * 1000 : 0) : parseDuration(text) * 1000;
  if (!(ms > 0)) throw new Error(`invalid --since ${JSON.stringify(text)}: want a positive duration such as 30m, 24h or 7d`);
  return ms;
}

function filesOf(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .map((name) => join(path, name))
    .filter((f) => statSync(f).isFile());
}

/**
 * The documents of one input, one at a time: JSON lines (each line parsed alone), or YAML
 * documents split at `---` (a pretty-printed JSON List is one YAML document). A JSON line
 * `skipLine` says cannot matter is not parsed.
 */
async function* documents(input: Readable, source: string, warn: (w: string) => void, skipLine: (line: string) => boolean): AsyncGenerator<unknown> {
  let mode: 'json' | 'yaml' | undefined;
  let doc = '';
  let line = 0;
  const parseDoc = (at: number) => {
    const t = doc.trimStart();
    doc = '';
    if (!t) return undefined;
    try {
      return parseDocument(t);
    } catch (err) {
      warn(`${source}: the document ending at line ${at}: ${(err as Error).message.split('\n')[0]}`);
      return undefined;
    }
  };
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    const t = text.trim();
    if (mode === undefined && t && !t.startsWith('#') && t !== '---') mode = t.startsWith('{') && t.endsWith('}') && parsesAsJson(t) ? 'json' : 'yaml';
    if (mode === 'json') {
      if (!t || skipLine(t)) continue;
      try {
        yield JSON.parse(t);
      } catch (err) {
        warn(`${source}:${line}: ${(err as Error).message}`);
      }
    } else if (/^---(\s|$)/.test(text)) yield parseDoc(line - 1);
    else doc += `${text}\n`;
  }
  if (mode === 'yaml') yield parseDoc(line);
}

/** A pretty-printed JSON List is parsed as JSON (the YAML parser would need far more memory), anything else as YAML. */
function parseDocument(t: string): unknown {
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t);
    } catch {
      // A YAML flow mapping.
    }
  }
  return yaml().parse(t);
}

function parsesAsJson(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** The events in a document: an Event, or an EventList / List of them. */
function eventsIn(doc: unknown): AuditEvent[] {
  if (!doc || typeof doc !== 'object') return [];
  const o = doc as AuditEvent & { items?: unknown[] };
  if (Array.isArray(o.items)) return o.items.flatMap(eventsIn);
  return typeof o.auditID === 'string' ? [o] : [];
}

const timeOf = (e: AuditEvent) => Date.parse(e.stageTimestamp ?? e.timestamp ?? e.requestReceivedTimestamp ?? '');

/** The authorizer's attributes of an event's request, or undefined when it has none (no verb, no resource or URL). */
export function requestOf(e: AuditEvent): Request | undefined {
  if (!e.verb) return undefined;
  const ref = e.objectRef;
  if (!ref) {
    const path = (e.requestURI ?? '').split('?')[0]!;
    return path ? { verb: e.verb, isResourceRequest: false, path, apiGroup: '', resource: '', subresource: '', namespace: '', name: '' } : undefined;
  }
  if (!ref.resource) return undefined;
  const apiGroup = ref.apiGroup ?? (ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0]! : '');
  const subresource = ref.subresource ?? '';
  // The audit filter fills a created object's name in from the body; authorization never saw it
  // (it does see the name of a subresource create: pods/exec, serviceaccounts/token, pods/eviction).
  const name = e.verb === 'create' && !subresource ? '' : (ref.name ?? '');
  return { verb: e.verb, isResourceRequest: true, path: '', apiGroup, resource: ref.resource, subresource, namespace: ref.namespace ?? '', name };
}

/**
 * Whether a request counts as "what the client tried": it reached authorization (allowed or
 * forbidden). Without a decision annotation (older logs, or a request's first stage alone),
 * 401 (authentication failed), 403 (refused before authorization, e.g. impersonation) and 429
 * (refused by priority and fairness) do not count.
 */
function reachedAuthorization(e: AuditEvent): boolean {
  if (e.annotations?.[DECISION]) return true;
  return !e.user?.username ? false : ![401, 403, 429].includes(e.responseStatus?.code ?? 0);
}

/** An event as a use, or undefined when it has no request or does not count. */
function useOf(e: AuditEvent): AuditUse | undefined {
  const user = e.impersonatedUser ?? e.user ?? {};
  const request = requestOf(e);
  if (!request || !user.username || !reachedAuthorization(e)) return undefined;
  const authenticated = { username: e.user?.username, ...(e.user?.extra ? { extra: e.user.extra } : {}) };
  const tokenAnnotations = Object.entries(e.annotations ?? {}).filter(([k]) => isTokenAnnotation(k));
  const expirationSeconds = request.resource === 'serviceaccounts' && request.subresource === 'token' ? e.requestObject?.spec?.expirationSeconds : undefined;
  return {
    auditID: e.auditID!,
    username: user.username,
    groups: user.groups ?? [],
    user: authenticated,
    request,
    requestURI: e.requestURI ?? '',
    time: timeOf(e),
    decision: e.annotations?.[DECISION] ?? '',
    ...(tokenAnnotations.length ? { tokenAnnotations: Object.fromEntries(tokenAnnotations) } : {}),
    ...(typeof expirationSeconds === 'number' ? { expirationSeconds } : {}),
  };
}

/** The distinct requests of some uses (many uses repeat a few requests). */
export const distinctRequests = (uses: readonly AuditUse[]): Request[] => [...new Map(uses.map((u) => [JSON.stringify(u.request), u.request])).values()];

/** Every request in the inputs (`-` is stdin) that passes the options' filters, one use each. */
export async function readAuditLog(paths: readonly string[], opts: AuditReadOptions = {}): Promise<AuditRead> {
  const warnings: string[] = [];
  let dropped = 0;
  const warn = (w: string) => (warnings.length < MAX_WARNINGS ? warnings.push(w) : dropped++);
  // Each request's use as its latest stage so far says (undefined: it does not count), only for
  // events that may be the subject's.
  const latest = new Map<string, { rank: number; use?: AuditUse }>();
  let events = 0;
  const mayMatch = (e: AuditEvent) => !opts.username || e.user?.username === opts.username || e.impersonatedUser?.username === opts.username;
  // The username as it appears in a JSON line: a line without it is no event of the subject (only
  // for plain names: Go's encoder escapes <, > and & where JSON.stringify does not).
  const quoted = opts.username && /^[\w:.@+=,-]+$/.test(opts.username) && JSON.stringify(opts.username);
  const skipLine = (line: string) => !!quoted && !line.includes(quoted);
  const inputs = paths.flatMap((p) => (p === '-' ? [{ source: 'stdin', open: opts.stdin ?? (() => process.stdin) }] : filesOf(p).map((f) => ({ source: f, open: () => open(f) }))));
  for (const { source, open: openInput } of inputs) {
    for await (const doc of documents(openInput(), source, warn, skipLine)) {
      for (const e of eventsIn(doc)) {
        events++;
        if (!mayMatch(e)) continue;
        const rank = STAGE_RANK[e.stage ?? ''] ?? 0;
        const before = latest.get(e.auditID!);
        if (!before || rank >= before.rank) latest.set(e.auditID!, { rank, use: useOf(e) });
      }
    }
  }
  if (dropped) warnings.push(`… and ${dropped} more unreadable lines or documents`);
  const now = (opts.now ?? Date.now)();
  const uses: AuditUse[] = [];
  for (const { use } of latest.values()) {
    if (!use || (opts.username && use.username !== opts.username)) continue;
    if (opts.namespace !== undefined && use.request.namespace !== opts.namespace) continue;
    if (opts.sinceMs !== undefined && !(now - use.time <= opts.sinceMs)) continue;
    uses.push(use);
  }
  return { uses, events, warnings };
}

function open(file: string): Readable {
  const stream = createReadStream(file);
  return file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
}

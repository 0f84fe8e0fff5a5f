// The pods subresources that reach into the node: log (GET, streamed text), exec and attach
// (the remote command protocol over WebSockets or SPDY/3.1) and portforward (SPDY/3.1, SPDY
// tunnelled through a WebSocket, or the kubelet's WebSocket protocol). As kube-apiserver does
// (pkg/registry/core/pod/rest/log.go, subresources.go, pod/strategy.go LogLocation and
// streamLocation): options from the query, then the pod and its container, then the node; with
// AuthorizePodWebsocketUpgradeCreatePermission, a GET (WebSocket) to exec, attach and portforward
// must also be allowed to `create`. The node's side is PodStreams (the node agent); without one,
// the answers are those of a server whose kubelet cannot be reached.
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { ApiError, badRequest, forbidden, invalid, notFound } from '../../api/errors.js';
import { forbidden as forbiddenField, invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import type { Authorizer } from '../../auth/authz/authorizer.js';
import type { LogOptions, PodStreams } from '../../api/node-streams.js';
import { servePortForwardSpdy, servePortForwardTunnel, isTunnelingRequest } from './pod-streams/portforward-spdy.js';
import { servePortForwardWebSocket } from './pod-streams/portforward-websocket.js';
import { errorStatus, exitCodeStatus, internalStatus, successStatus, type ChannelStatus, type Session, type StreamOptions } from './pod-streams/remotecommand.js';
import { openSpdySession } from './pod-streams/remotecommand-spdy.js';
import { openWebSocketSession } from './pod-streams/remotecommand-websocket.js';
import { writeRefusal } from './pod-streams/spdy/handshake.js';
import { isWebSocketRequest } from './pod-streams/websocket.js';
import type { ConnectContext, Subresource } from '../resource.js';
import { podAttachOptions, podExecOptions, podPortForwardOptions } from '../schemas/core-pod-options.js';
import { objects, str, type Obj } from '../narrow.js';

export interface PodStreamsDeps {
  authorizer: Authorizer;
  /** The node agent, once there is one. */
  streams: () => PodStreams | undefined;
}

const PODS = { group: '', resource: 'pods' };
const KUBELET_PORT = 10250;

// ==== query parameters (runtime.Convert_Slice_string_To_*) ====

/** The first value, as Go's url.Values conversion takes it. */
const first = (q: URLSearchParams, k: string): string | undefined => q.getAll(k)[0];

function bool(q: URLSearchParams, k: string): boolean {
  const v = first(q, k);
  return v !== undefined && v !== '0' && v.toLowerCase() !== 'false';
}

function int64(q: URLSearchParams, k: string): number | undefined {
  const v = first(q, k);
  if (v === undefined) return undefined;
  if (!/^[+-]?[0-9]+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

function time(q: URLSearchParams, k: string): Date | undefined {
  const v = first(q, k);
  if (v === undefined || v === '' || v === 'null') return undefined;
  const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(v);
  const d = m ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw badRequest(`parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`);
  return d;
}

// ==== the pod and its container ====


/** validateContainer of pod/strategy.go. */
export function podContainer(pod: KubeObject, container: string): string {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const name = pod.metadata.name ?? '';
  const containers = objects(spec.containers);
  if (!container) {
    if (containers.length === 1) return str(containers[0]!.name);
    if (!containers.length) throw badRequest(`a container name must be specified for pod ${name}`);
    const all = [...containers, ...objects(spec.initContainers), ...objects(spec.ephemeralContainers)].map((c) => str(c.name));
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  const all = [...containers, ...objects(spec.initContainers), ...objects(spec.ephemeralContainers)];
  if (!all.some((c) => c.name === container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** The kubelet address of a node (the default --kubelet-preferred-address-types order). */
async function kubeletAddress(c: ConnectContext, nodeName: string): Promise<string> {
  const nodes = c.registry.store('', 'v1', 'nodes');
  if (!nodes) throw notFound({ group: '', resource: 'nodes' }, nodeName);
  const node = await nodes.get(c.ctx, '', nodeName);
  const status = isObject(node.status) ? node.status : {};
  const addresses = objects(status.addresses);
  for (const type of ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP']) {
    const a = addresses.find((x) => x.type === type);
    if (a) {
      const port = Number((((status.daemonEndpoints as Obj | undefined)?.kubeletEndpoint as Obj | undefined)?.Port as number | undefined) ?? 0) || KUBELET_PORT;
      const host = str(a.address);
      return `${host.includes(':') ? `[${host}]` : host}:${port}`;
    }
  }
  throw new ApiError(500, '', `no preferred addresses found; known addresses: [${addresses.map((a) => `{${str(a.type)} ${str(a.address)}}`).join(' ')}]`);
}

/** What a kubelet that cannot be reached answers through the API server (reason unknown, 500). */
const unreachable = (url: string, address: string) => new ApiError(500, '', `Get "${url}": dial tcp ${address}: connect: connection refused`);

/** ensureAuthorizedForVerb: a connect request that is not a `create` must be allowed to create too. */
async function authorizeCreate(c: ConnectContext, authorizer: Authorizer, subresource: string): Promise<void> {
  if (c.verb === 'create') return;
  const d = await authorizer.authorize({
    user: c.ctx.user,
    verb: 'create',
    isResourceRequest: true,
    path: c.req.url?.split('?')[0] ?? '',
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'pods',
    subresource,
    namespace: c.namespace,
    name: c.name,
  });
  if (d.decision !== 'allow') throw forbidden(PODS, c.name, d.reason);
}

/** An error as a Status on the error channel. */
function channelStatus(err: unknown, translated: boolean, kind: 'exec' | 'attach'): ChannelStatus {
  if (err instanceof ApiError) return errorStatus(err);
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'number' && code >= 400 && code < 600) return errorStatus(new ApiError(code, code === 400 ? 'BadRequest' : '', message));
  // The kubelet reports an InternalError; the stream translator (v5) wraps that once more.
  const what = kind === 'exec' ? 'error executing command in container' : 'error attaching to container';
  const kubelet = `Internal error occurred: ${what}: ${message}`;
  return translated ? { ...internalStatus(kubelet), details: { causes: [{ message: kubelet }] } } : internalStatus(`${what}: ${message}`);
}

// ==== log ====

function logOptions(c: ConnectContext): LogOptions & { sinceTime?: Date } {
  const q = c.query;
  const opts = {
    container: first(q, 'container') ?? '',
    follow: bool(q, 'follow'),
    previous: bool(q, 'previous'),
    timestamps: bool(q, 'timestamps'),
    sinceSeconds: int64(q, 'sinceSeconds'),
    sinceTime: time(q, 'sinceTime'),
    tailLines: int64(q, 'tailLines'),
    limitBytes: int64(q, 'limitBytes'),
  };
  bool(q, 'insecureSkipTLSVerifyBackend');
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(invalidField('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(invalidField('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) errs.push(forbiddenField('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) errs.push(invalidField('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw invalid('', 'PodLogOptions', c.name, errs);
  return opts;
}

/** The reply body: headers on the first write (so errors before it are still a Status), limitBytes. */
class LogReply extends Writable {
  started = false;
  private left: number;
  constructor(
    private readonly res: ServerResponse,
    limitBytes: number | undefined,
    private readonly stop: () => void,
  ) {
    super();
    this.left = limitBytes ?? Infinity;
  }
  begin(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    this.res.flushHeaders();
  }
  override _write(chunk: Buffer, _enc: string, cb: (err?: Error | null) => void): void {
    this.begin();
    if (this.left <= 0 || !chunk.length) return cb();
    const part = chunk.length > this.left ? chunk.subarray(0, this.left) : chunk;
    this.left -= part.length;
    const ok = this.res.write(part);
    if (this.left <= 0) this.stop();
    if (ok) cb();
    else this.res.once('drain', () => cb());
  }
}

async function serveLog(c: ConnectContext, deps: PodStreamsDeps): Promise<void> {
  const opts = logOptions(c);
  const pod = await c.store.get(c.ctx, c.namespace, c.name);
  const container = podContainer(pod, opts.container ?? '');
  const nodeName = str((pod.spec as Obj | undefined)?.nodeName);
  if (!nodeName) {
    // No node, no location: the stream is empty.
    c.res.writeHead(204);
    c.res.end();
    return;
  }
  const streams = deps.streams();
  if (!streams) {
    const address = await kubeletAddress(c, nodeName);
    throw unreachable(`https://${address}/containerLogs/${c.namespace}/${c.name}/${container}${logQuery(opts)}`, address);
  }
  const abort = new AbortController();
  const onClose = () => abort.abort();
  c.res.once('close', onClose);
  const reply = new LogReply(c.res, opts.limitBytes, onClose);
  const { sinceTime, ...rest } = opts;
  const logOpts: LogOptions = { ...rest, container };
  if (sinceTime) logOpts.sinceSeconds = Math.max(1, Math.ceil((c.ctx.clock.now().getTime() - sinceTime.getTime()) / 1000));
  try {
    await streams.logs(c.namespace, c.name, logOpts, reply, abort.signal);
  } catch (err) {
    if (!reply.started) throw statusError(err);
    // As a Go handler whose copy failed midway: the reply ends there.
    c.res.end();
    return;
  } finally {
    c.res.off('close', onClose);
  }
  reply.begin();
  c.res.end();
}

function logQuery(o: LogOptions & { sinceTime?: Date }): string {
  const p = new URLSearchParams();
  if (o.follow) p.set('follow', 'true');
  if (o.previous) p.set('previous', 'true');
  if (o.timestamps) p.set('timestamps', 'true');
  if (o.sinceSeconds !== undefined) p.set('sinceSeconds', String(o.sinceSeconds));
  if (o.sinceTime) p.set('sinceTime', o.sinceTime.toISOString().replace(/\.\d+Z$/, 'Z'));
  if (o.tailLines !== undefined) p.set('tailLines', String(o.tailLines));
  if (o.limitBytes !== undefined) p.set('limitBytes', String(o.limitBytes));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** An error of the node as the API server relays it. */
function statusError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && code >= 400 && code < 600) return new ApiError(code, code === 400 ? 'BadRequest' : '', (err as Error).message);
  return err;
}

// ==== exec, attach, portforward ====

function streamOptions(c: ConnectContext): StreamOptions {
  const q = c.query;
  const tty = bool(q, 'tty');
  return { stdin: bool(q, 'stdin'), stdout: bool(q, 'stdout'), stderr: bool(q, 'stderr') && !tty, tty };
}

/** streamLocation: the pod, its container and its node; the container name. */
async function locate(c: ConnectContext, container: string, withContainer = true): Promise<{ pod: KubeObject; container: string; nodeName: string }> {
  const pod = await c.store.get(c.ctx, c.namespace, c.name);
  const name = withContainer ? podContainer(pod, container) : '';
  const nodeName = str((pod.spec as Obj | undefined)?.nodeName);
  if (!nodeName) throw badRequest(`pod ${c.name} does not have a host assigned`);
  return { pod, container: name, nodeName };
}

const upgradeRequired = () => badRequest('Upgrade request required');

/** The remote command session over the protocol the client asked for: WebSockets, else SPDY. */
async function openSession(c: ConnectContext, opts: StreamOptions): Promise<Session | undefined> {
  const { socket, head } = c.upgrade!;
  if (isWebSocketRequest(c.req)) {
    c.res.detachSocket(socket);
    return openWebSocketSession(c.req, socket, head, opts);
  }
  return openSpdySession({ req: c.req, res: c.res, socket, head }, opts);
}

async function serveExec(c: ConnectContext, deps: PodStreamsDeps, kind: 'exec' | 'attach'): Promise<void> {
  await authorizeCreate(c, deps.authorizer, kind);
  const command = c.query.getAll('command');
  const opts = streamOptions(c);
  const { container, nodeName } = await locate(c, first(c.query, 'container') ?? '');
  const streams = deps.streams();
  if (!c.upgrade) throw upgradeRequired();
  // Only now is the node asked: its failures come after the upgrade, on the error channel.
  const session = await openSession(c, opts);
  if (!session) return;
  const translated = session.protocol === 'v5.channel.k8s.io';
  let status: ChannelStatus;
  try {
    if (!opts.stdin && !opts.stdout && !opts.stderr) {
      status = internalStatus('unable to upgrade connection: you must specify at least 1 of stdin, stdout, stderr');
    } else if (!streams) {
      const address = await kubeletAddress(c, nodeName);
      status = internalStatus(`error dialing backend: dial tcp ${address}: connect: connection refused`);
    } else if (kind === 'attach') {
      await streams.attach(c.namespace, c.name, { container }, session.streams);
      status = successStatus();
    } else {
      const code = await streams.exec(c.namespace, c.name, { container, command }, session.streams);
      status = code === 0 ? successStatus() : exitCodeStatus(code);
    }
  } catch (err) {
    status = channelStatus(err, translated, kind);
  }
  await session.finish(status);
}

/** The ports of a WebSocket port-forward (the query's `ports`, each a list). */
function queryPorts(c: ConnectContext): number[] {
  const ports: number[] = [];
  for (const p of c.query.getAll('ports')) {
    for (const part of p.split(',')) {
      if (!/^\d+$/.test(part.trim()) || Number(part) > 65535) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(part)}: invalid syntax`);
      ports.push(Number(part));
    }
  }
  return ports;
}

async function servePortForward(c: ConnectContext, deps: PodStreamsDeps): Promise<void> {
  await authorizeCreate(c, deps.authorizer, 'portforward');
  const ports = queryPorts(c);
  const pod = await c.store.get(c.ctx, c.namespace, c.name);
  const nodeName = str((pod.spec as Obj | undefined)?.nodeName);
  if (!nodeName) throw badRequest(`pod ${c.name} does not have a host assigned`);
  if (!c.upgrade) throw upgradeRequired();
  const streams = deps.streams();
  if (!streams) {
    const address = await kubeletAddress(c, nodeName);
    throw new ApiError(500, '', `error dialing backend: dial tcp ${address}: connect: connection refused`);
  }
  // The node's refusals (no such pod there, a runtime that runs nothing) come before the upgrade.
  const forward = await streams.portForward(c.namespace, c.name);
  const u = { req: c.req, res: c.res, socket: c.upgrade.socket, head: c.upgrade.head };
  if (!isWebSocketRequest(c.req)) return servePortForwardSpdy(u, forward);
  if (isTunnelingRequest(c.req)) return servePortForwardTunnel(u, forward);
  // The kubelet's own WebSocket protocol needs the ports in the query (NewV4Options).
  if (!ports.length || ports.includes(0)) {
    const body = ports.length ? `port "0" must be > 0` : 'query parameter "port" is required';
    return writeRefusal(c.res, { status: 400, body });
  }
  c.res.detachSocket(u.socket);
  await servePortForwardWebSocket(c.req, u.socket, u.head, ports, forward);
}

/** The subresources, for the pods ResourceDef. */
export function podStreamSubresources(deps: PodStreamsDeps): Record<string, Subresource> {
  return {
    attach: { schema: podAttachOptions, verbs: ['create', 'get'], connect: (c) => serveExec(c, deps, 'attach') },
    exec: { schema: podExecOptions, verbs: ['create', 'get'], connect: (c) => serveExec(c, deps, 'exec') },
    log: { verbs: ['get'], connect: (c) => serveLog(c, deps) },
    portforward: { schema: podPortForwardOptions, verbs: ['create', 'get'], connect: (c) => servePortForward(c, deps) },
  };
}

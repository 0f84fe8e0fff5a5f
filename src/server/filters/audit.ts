// Auditing, as kube-apiserver's WithAuditInit, WithFailedAuthenticationAudit and WithAudit:
// every reply carries the request's Audit-ID; with an audit policy and log, the request's events
// are written (RequestReceived; ResponseStarted for long-running requests; ResponseComplete, or
// Panic when the handler failed unexpectedly), at the level the first matching rule sets.
import type { ServerResponse } from 'node:http';
import type { Random } from '../../api/clock.js';
import { ApiError, internalError } from '../../api/errors.js';
import type { Auditor, AuditRecord } from '../audit/auditor.js';
import type { Filter, RequestContext } from '../context.js';
import { isLongRunning } from '../request-info.js';

const attributes = (rc: RequestContext) => ({ ...rc.info, user: rc.authenticated });

/**
 * First in the pipeline: the Audit-ID header (the client's own, else a new UUID) on every reply;
 * a request that failed authentication gets its one event (stage ResponseStarted, the 401), with
 * the annotations authentication made (a legacy token marked invalid).
 */
export function auditInit(random: Random, auditor?: Auditor): Filter {
  return async (rc, next) => {
    const given = rc.req.headers['audit-id'];
    rc.auditID = (Array.isArray(given) ? given[0] : given) || random.uuid();
    rc.res.setHeader('Audit-Id', rc.auditID);
    await next();
    if (!auditor || rc.authenticated || rc.res.statusCode !== 401) return;
    const config = auditor.evaluate(attributes(rc));
    if (config.level === 'None') return;
    const r = auditor.record(config, rc.auditID, rc.req, rc.info, undefined, receivedAt(auditor, rc), rc.auditAnnotations);
    r.responseStatus = { metadata: {}, message: authMethods(rc), code: 401 };
    auditor.emit(r, 'ResponseStarted');
  };
}

/** After authentication: the policy sees the authenticated user (impersonation comes later). */
export function audit(auditor: Auditor): Filter {
  return async (rc, next) => {
    const config = auditor.evaluate(attributes(rc));
    if (config.level === 'None') return next();
    const r = auditor.record(config, rc.auditID!, rc.req, rc.info, rc.authenticated, receivedAt(auditor, rc), rc.auditAnnotations);
    rc.audit = { requestObject: (o) => auditor.requestObject(r, o), requestPatch: (p) => auditor.requestPatch(r, p), responseObject: (o) => auditor.responseObject(r, o) };
    auditor.emit(r, 'RequestReceived');
    const res = rc.res;
    const longRunning = isLongRunning(rc.info);
    let started = !longRunning;
    const start = () => {
      if (started) return;
      started = true;
      finishRecord(rc, r);
      auditor.emit(r, 'ResponseStarted');
    };
    if (longRunning) onHeaders(res, start);
    let panicked = false;
    let done = false;
    const complete = () => {
      if (done) return;
      done = true;
      start();
      finishRecord(rc, r);
      auditor.emit(r, panicked ? 'Panic' : 'ResponseComplete');
    };
    res.once('finish', complete);
    res.once('close', complete);
    // A stream that switched protocols (exec over WebSockets) ends with its socket.
    rc.upgrade?.socket.once('close', complete);
    try {
      await next();
    } catch (err) {
      // The error's Status is the reply the outer filter writes; an error that is no Status is the Panic.
      panicked = !(err instanceof ApiError);
      const status = panicked ? { ...internalError(err).toStatus(), message: `APIServer panic'd: ${String(err)}` } : (err as ApiError).toStatus();
      const { kind: _k, apiVersion: _a, ...fields } = status;
      r.responseStatus = { ...fields, metadata: {} };
      throw err;
    }
  };
}

/** The identities and status known once the handler has answered. */
function finishRecord(rc: RequestContext, r: AuditRecord): void {
  if (rc.user && rc.user !== rc.authenticated) r.impersonatedUser = rc.user;
  r.responseStatus ??= { metadata: {}, code: rc.res.statusCode };
  if (r.responseStatus.code === undefined) r.responseStatus.code = rc.res.statusCode;
}

/** Calls `f` once when the reply's headers go out (watches and streams). */
function onHeaders(res: ServerResponse, f: () => void): void {
  for (const m of ['writeHead', 'flushHeaders', 'write', 'end'] as const) {
    const original = res[m] as (...args: unknown[]) => unknown;
    (res as unknown as Record<string, unknown>)[m] = function (this: ServerResponse, ...args: unknown[]) {
      if (m === 'writeHead' && typeof args[0] === 'number') res.statusCode = args[0];
      f();
      return original.apply(this, args);
    };
  }
}

/** The wall clock time the request arrived. */
function receivedAt(auditor: Auditor, rc: RequestContext): number {
  return auditor.now() - (performance.now() - rc.received);
}

/** getAuthMethods: the credentials a failed request offered. */
function authMethods(rc: RequestContext): string {
  const methods: string[] = [];
  const auth = (rc.req.headers.authorization ?? '').trim();
  if (/^basic\s/i.test(auth)) methods.push('basic');
  const parts = auth.split(' ');
  if (parts.length > 1 && parts[0]!.toLowerCase() === 'bearer') methods.push('bearer');
  if ((rc.url.searchParams.get('access_token') ?? '').trim()) methods.push('access_token');
  const socket = rc.req.socket as { getPeerCertificate?: () => { raw?: Buffer } };
  if (socket.getPeerCertificate?.()?.raw) methods.push('x509');
  return methods.length ? `Authentication failed, attempted: ${methods.join(', ')}` : 'Authentication failed, no credentials provided';
}

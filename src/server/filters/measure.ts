// Counts and times each API request as kube-apiserver's endpoint instrumentation does
// (MonitorRequest, RecordLongRunning): requests of served resources and the health endpoints,
// once authorized, under the verb (GET/LIST/WATCH/POST/PUT/PATCH/APPLY/DELETE/CONNECT), dry run,
// group, version, resource, subresource, scope and code; long-running ones also while they last.
import { ApiError } from '../../api/errors.js';
import type { Filter, RequestContext } from '../context.js';
import type { ApiServerMetrics } from '../metrics/apiserver-metrics.js';
import { isLongRunning, requestKind } from '../request-info.js';

const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);
const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

/** CleanScope. */
function scopeOf(rc: RequestContext): string {
  const { info } = rc;
  if (info.name || info.verb === 'create') return 'resource';
  if (info.namespace) return 'namespace';
  return info.isResourceRequest ? 'cluster' : '';
}

/** CanonicalVerb, then CleanVerb. */
function verbOf(rc: RequestContext, scope: string): string {
  const method = (rc.req.method ?? 'GET').toUpperCase();
  let verb = (method === 'GET' || method === 'HEAD') && scope !== 'resource' && scope !== '' ? 'LIST' : method === 'HEAD' ? 'GET' : method;
  if (rc.info.verb === 'watch') verb = 'WATCH';
  if (verb === 'PATCH' && rc.req.headers['content-type'] === 'application/apply-patch+yaml') verb = 'APPLY';
  if (rc.info.isResourceRequest && CONNECT_SUBRESOURCES.has(rc.info.subresource)) verb = 'CONNECT';
  return verb;
}

/**
 * `served(group, version, resource)`: requests for anything else (404s of names a client made up)
 * are not counted, so that clients cannot grow the label sets.
 */
export function measure(metrics: ApiServerMetrics, served: (group: string, version: string, resource: string) => boolean, now: () => number = () => performance.now()): Filter {
  return async (rc, next) => {
    const { info } = rc;
    const health = !info.isResourceRequest && HEALTH_PATHS.has(info.path);
    if (!health && !(info.isResourceRequest && served(info.apiGroup, info.apiVersion, info.resource))) return next();
    const scope = scopeOf(rc);
    const verb = verbOf(rc, scope);
    const dryRun = rc.url.searchParams.get('dryRun') === 'All' ? 'All' : '';
    const labels = health ? [verb, dryRun, '', '', '', info.path, '', ''] : [verb, dryRun, info.apiGroup, info.apiVersion, info.resource, info.subresource, scope, 'apiserver'];
    const longRunning = isLongRunning(info);
    const gauge = longRunning ? [labels[0]!, ...labels.slice(2)] : undefined;
    const kind = requestKind(info);
    if (gauge) metrics.longRunning.add(gauge, 1);
    else metrics.requestStarted(kind);
    const finish = (code: number) => {
      if (gauge) metrics.longRunning.add(gauge, -1);
      else metrics.requestEnded(kind);
      metrics.latency.observe(labels, (now() - rc.received) / 1000);
      labels.push(String(code));
      metrics.requests.inc(labels);
    };
    try {
      await next();
    } catch (err) {
      finish(err instanceof ApiError ? err.code : 500);
      throw err;
    }
    // A watch or a stream goes on after its handler returns: it is over when its reply is.
    const res = rc.res;
    if (gauge && !res.writableFinished && !res.destroyed) res.once('close', () => finish(res.statusCode));
    else finish(res.statusCode);
  };
}

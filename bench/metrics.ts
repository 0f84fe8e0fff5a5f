// What recording a GET's metrics costs on the request path: the measure filter and the timing
// Storage around a request that does nothing else, beside the same request without them, in
// process; the difference is set against the time Badge spends on one GET in benchmark (1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { measure } from '../src/server/filters/measure.js';
import { ApiServerMetrics } from '../src/server/metrics/apiserver-metrics.js';
import { recordStorageRequests } from '../src/server/metrics/storage-labels.js';
import type { RequestContext } from '../src/server/context.js';
import { parseRequestInfo } from '../src/server/request-info.js';
import type { Registry } from '../src/registry/registry.js';
import { instrumented } from '../src/storage/instrumented.js';
import type { Storage } from '../src/storage/storage.js';

export interface MetricsCostResult {
  /** Microseconds per request with the recording and without it. */
  withMetricsUs: number;
  withoutUs: number;
}

export async function metricsCostBench(iterations = 300_000): Promise<MetricsCostResult> {
  const metrics = new ApiServerMetrics(async () => []);
  const registry = { generation: 1, storedResources: () => [{ prefix: '/registry/configmaps/', def: { group: '', resource: 'configmaps' } }] } as unknown as Registry;
  const kv = { key: '/registry/configmaps/default/bench', value: '{}', createRevision: 1, modRevision: 1 };
  const storage = { get: async () => kv } as unknown as Storage;
  const timed = instrumented(storage, recordStorageRequests(metrics, () => registry));
  const filter = measure(metrics, () => true);
  const url = new URL('https://127.0.0.1/api/v1/namespaces/default/configmaps/bench');
  const info = parseRequestInfo('GET', url);
  const context = (): RequestContext =>
    ({ req: { method: 'GET', headers: {} } as IncomingMessage, res: { statusCode: 200, writableFinished: true } as ServerResponse, url, info, received: performance.now(), warnings: [], op: () => ({}) }) as unknown as RequestContext;
  const run = async (on: boolean) => {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) {
      const rc = context();
      if (on) await filter(rc, async () => void (await timed.get(kv.key)));
      else await (async () => void (await storage.get(kv.key)))();
    }
    return ((performance.now() - start) * 1000) / iterations;
  };
  // Warm up both paths, then measure each twice, alternating, and keep the faster.
  await run(true);
  await run(false);
  const withMetricsUs = Math.min(await run(true), await run(true));
  const withoutUs = Math.min(await run(false), await run(false));
  return { withMetricsUs, withoutUs };
}

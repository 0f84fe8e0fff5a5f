// The group and resource a storage key belongs to, for etcd_request_duration_seconds: found by
// the store whose prefix the key starts with (`/registry/pods/…`, `/registry/services/specs/…`,
// a custom resource's `/registry/<group>/<resource>/…`), looked up again when the set of served
// resources changes; the masterleases are upstream's `apiServerIPInfo`.
import type { Registry } from '../../registry/registry.js';
import type { RecordStorageRequest } from '../../storage/instrumented.js';
import { resourcePrefixOf } from '../../storage/key-layout.js';
import type { ApiServerMetrics } from './apiserver-metrics.js';
import { MASTER_LEASES_PREFIX } from '../kubernetes-endpoints.js';

export function recordStorageRequests(metrics: ApiServerMetrics, registry: () => Registry | undefined): RecordStorageRequest {
  let generation = -1;
  let byPrefix = new Map<string, [string, string]>();
  const labelsOf = (key: string): [string, string] => {
    const r = registry();
    if (!r) return ['', ''];
    if (r.generation !== generation) {
      generation = r.generation;
      byPrefix = new Map(r.storedResources().map((s) => [s.prefix, [s.def.group, s.def.resource]]));
    }
    // The masterleases of the kubernetes Endpoints are stored as upstream's `apiServerIPInfo` resource.
    if (key.startsWith(MASTER_LEASES_PREFIX)) return ['', 'apiServerIPInfo'];
    const prefix = resourcePrefixOf(key);
    return (prefix && byPrefix.get(prefix)) || ['', ''];
  };
  return (operation, key, seconds, failed) => {
    const labels = [operation, ...labelsOf(key)];
    metrics.storageLatency.observe(labels, seconds);
    metrics.storageRequests.inc(labels);
    if (failed) metrics.storageErrors.inc(labels);
  };
}

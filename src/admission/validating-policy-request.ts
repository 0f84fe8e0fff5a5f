// The `request` and `namespaceObject` variables of admission policies (k8s.io/apiserver plugin/cel:
// CreateAdmissionRequest, CreateNamespaceObject), as CEL values.
import type { Namespace } from '../api/kinds.js';
import { untyped } from '../cel/values.js';
import type { AdmissionAttributes } from './chain.js';
import type { MatchedResource } from './validating-policy-matching.js';

const OPTIONS_KIND = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions', CONNECT: '' } as const;

/**
 * kubernetes.AdmissionRequest: kind and resource as matched (an equivalent version under Equivalent), requestKind
 * and requestResource as sent. `options` holds what Badge knows of the request's options (kind, dryRun, fieldManager).
 */
export function requestValue(a: AdmissionAttributes, matched: MatchedResource): unknown {
  const kind = a.resource.kind ?? '';
  const requested = { group: a.resource.group, version: a.resource.version ?? '', resource: a.resource.resource };
  const optionsKind = OPTIONS_KIND[a.operation];
  const options = optionsKind
    ? {
        kind: optionsKind,
        apiVersion: 'meta.k8s.io/v1',
        ...(a.dryRun ? { dryRun: ['All'] } : {}),
        ...(a.operation !== 'DELETE' && a.ctx.fieldManager ? { fieldManager: a.ctx.fieldManager } : {}),
      }
    : null;
  const user = a.ctx.user;
  return untyped({
    kind: { group: matched.group, version: matched.version, kind },
    resource: matched,
    subResource: a.subresource,
    requestKind: { group: requested.group, version: requested.version, kind },
    requestResource: requested,
    requestSubResource: a.subresource,
    name: a.name,
    namespace: a.namespace,
    operation: a.operation,
    userInfo: { username: user.username, uid: user.uid ?? '', groups: user.groups, extra: user.extra ?? {} },
    dryRun: a.dryRun,
    options,
  });
}

/** kubernetes.Namespace: metadata (name, labels, annotations, uid, timestamps, generation…), spec and status. */
export function namespaceValue(ns: Namespace | undefined): unknown {
  if (!ns) return null;
  const m = ns.metadata;
  const pick = <K extends keyof typeof m>(...keys: K[]) => Object.fromEntries(keys.filter((k) => m[k] !== undefined).map((k) => [k, m[k]]));
  return untyped({
    metadata: pick('name', 'generateName', 'namespace', 'labels', 'annotations', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'resourceVersion', 'finalizers'),
    spec: ns.spec ?? {},
    status: ns.status ?? {},
  });
}

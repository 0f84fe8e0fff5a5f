// The `request` and `namespaceObject` variables of admission policies (k8s.io/apiserver plugin/cel:
// CreateAdmissionRequest, CreateNamespaceObject), as CEL values.
import type { Namespace } from '../api/kinds.js';
import type { Authorizer } from '../auth/authz/authorizer.js';
import type { Authorize, AuthzCheck, AuthzDecision } from '../cel/admission.js';
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
  const options = operationOptions(a);
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

/** The request's options object (CreateOptions, UpdateOptions, DeleteOptions) with what Badge knows of it (dryRun, fieldManager). */
export function operationOptions(a: AdmissionAttributes): Record<string, unknown> | null {
  const kind = OPTIONS_KIND[a.operation];
  if (!kind) return null;
  return {
    kind,
    apiVersion: 'meta.k8s.io/v1',
    ...(a.dryRun ? { dryRun: ['All'] } : {}),
    ...(a.operation !== 'DELETE' && a.ctx.fieldManager ? { fieldManager: a.ctx.fieldManager } : {}),
  };
}

const SA_PREFIX = 'system:serviceaccount:';

/** The `authorizer` of admission CEL: checks as the request's user, or as the service account `serviceAccount()` names. */
export function celAuthorizer(authorizer: Authorizer, a: AdmissionAttributes): Authorize {
  return async (c: AuthzCheck): Promise<AuthzDecision> => {
    const user = c.user
      ? { username: c.user, groups: c.user.startsWith(SA_PREFIX) ? ['system:serviceaccounts', `system:serviceaccounts:${c.user.slice(SA_PREFIX.length).split(':')[0]}`] : [] }
      : a.ctx.user;
    const d = await authorizer.authorize({
      user, verb: c.verb, isResourceRequest: c.path === undefined, path: c.path ?? '', apiGroup: c.group ?? '', apiVersion: '*',
      resource: c.resource ?? '', subresource: c.subresource ?? '', namespace: c.namespace ?? '', name: c.name ?? '',
    });
    return { decision: d.decision === 'allow' ? 'Allow' : d.decision === 'deny' ? 'Deny' : 'NoOpinion', reason: d.reason };
  };
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

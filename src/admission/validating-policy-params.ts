// The parameter objects of a (policy, binding) pair, as k8s.io/apiserver's CollectParams finds them
// (pkg/admission/plugin/policy/generic/policy_dispatcher.go): none without paramKind or paramRef (params is
// null), by name or label selector from the param kind's shared informer, in paramRef.namespace or the
// request's namespace, and parameterNotFoundAction Deny when none is found. An error is a configuration error.
import { fromLabelSelectorObject } from '../api/labels.js';
import type { KubeObject } from '../api/meta.js';
import type { ServedResource } from '../client/client.js';
import type { SharedInformer } from '../client/informer.js';
import type { ParamRef, PolicySpec } from './validating-policy-types.js';

export type ParamLookup = (apiVersion: string, kind: string) => { served: ServedResource; informer: SharedInformer } | undefined;

export class ParamError extends Error {}

/** The params to evaluate with: `[null]` when the policy or binding uses none, `[]` to skip (Allow). */
export async function collectParams(spec: PolicySpec, ref: ParamRef | undefined, namespace: string, lookup: ParamLookup): Promise<(KubeObject | null)[]> {
  const kind = spec.paramKind;
  if (!kind || !ref) return [null];
  const found = lookup(kind.apiVersion ?? '', kind.kind ?? '');
  const kindText = `&ParamKind{APIVersion:${kind.apiVersion ?? ""},Kind:${kind.kind ?? ""},}`;
  if (!found) throw new ParamError(`paramKind kind \`${kindText}\` not known`);
  const { served, informer } = found;
  let ns = '';
  if (served.namespaced) {
    ns = ref.namespace || namespace;
    if (!ns) throw new ParamError('cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
  } else if (ref.namespace) throw new ParamError('paramRef.namespace must not be provided for a cluster-scoped `paramKind`');
  await informer.waitForSync();
  let params: KubeObject[];
  if (ref.name) {
    if (ref.selector) throw new ParamError('paramRef.name and paramRef.selector are mutually exclusive');
    const p = informer.get(ns, ref.name);
    params = p ? [p] : [];
  } else if (ref.selector) {
    const sel = fromLabelSelectorObject(ref.selector);
    params = sel ? informer.select(served.namespaced ? ns : undefined, sel) : [];
  } else throw new ParamError('one of name or selector must be provided');
  if (!params.length && ref.parameterNotFoundAction === 'Deny') throw new ParamError('no params found for policy binding with `Deny` parameterNotFoundAction');
  // Objects of a built-in kind carry no apiVersion and kind in the cache: params show the paramKind's.
  return params.map((p) => ({ ...p, apiVersion: kind.apiVersion, kind: kind.kind }));
}

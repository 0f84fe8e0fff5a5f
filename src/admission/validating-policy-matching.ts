// Which requests a policy's matchConstraints and a binding's matchResources select, as k8s.io/apiserver's
// generic policy matcher does (pkg/admission/plugin/policy/matching, webhook/predicates/{rules,namespace,object}):
// rules by operation, group, version, resource and subresource with their wildcards, scope and resourceNames;
// exclude rules first; the namespace selector on the namespace's labels (a Namespace's own; cluster-scoped
// objects always match); the object selector on the new or the old object. matchPolicy Equivalent also
// matches the same group and resource through another served version.
import { selectorObjectMatches } from '../api/labels.js';
import type { KubeObject } from '../api/meta.js';
import type { AdmissionAttributes } from './chain.js';
import type { MatchResources, NamedRule } from './validating-policy-types.js';

/** The group, version and resource a request is matched as. */
export interface MatchedResource {
  group: string;
  version: string;
  resource: string;
}

/** rules.Matcher: does one rule select this request as (group, version)? */
export function ruleMatches(r: NamedRule, a: AdmissionAttributes, as: MatchedResource): boolean {
  const any = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));
  if (!any(r.operations, a.operation) || !any(r.apiGroups, as.group) || !any(r.apiVersions, as.version)) return false;
  if (!resourceMatches(r.resources ?? [], as.resource, a.subresource)) return false;
  if (!scopeMatches(r.scope, a)) return false;
  return !r.resourceNames?.length || r.resourceNames.includes(a.name);
}

function resourceMatches(resources: string[], resource: string, sub: string): boolean {
  const full = sub ? `${resource}/${sub}` : resource;
  return resources.some((r) => {
    if (r === '*/*' || r === full) return true;
    if (r === '*') return sub === '';
    const slash = r.indexOf('/');
    if (slash < 0) return false;
    const [res, s] = [r.slice(0, slash), r.slice(slash + 1)];
    return (res === '*' && s === sub && sub !== '') || (s === '*' && res === resource && sub !== '');
  });
}

/** Cluster: no namespace (Namespaces are cluster-scoped); Namespaced: a namespace; "*" either. */
function scopeMatches(scope: string | undefined, a: AdmissionAttributes): boolean {
  if (!scope || scope === '*') return true;
  const namespaced = a.namespace !== '' && !(a.resource.group === '' && a.resource.resource === 'namespaces');
  return scope === 'Namespaced' ? namespaced : !namespaced;
}

export interface MatchContext {
  a: AdmissionAttributes;
  /** The request's own group, version and resource. */
  requested: MatchedResource;
  /** The other versions the request's group and resource are served as (for Equivalent). */
  otherVersions: string[];
  /** The labels of the request's namespace (undefined for cluster-scoped requests); may throw when it is missing. */
  namespaceLabels: () => Record<string, string> | undefined;
}

const labelsOf = (o: KubeObject | undefined) => o?.metadata?.labels ?? {};

/**
 * The resource a MatchResources selects the request as, or undefined; `requireRules` (a policy's
 * matchConstraints) makes an empty resourceRules select nothing, while a binding's selects everything.
 */
export function matchResources(m: MatchResources, c: MatchContext, requireRules: boolean): MatchedResource | undefined {
  const { a } = c;
  if (!namespaceMatches(m, c)) return undefined;
  if (!objectMatches(m, a)) return undefined;
  const candidates = [c.requested, ...(m.matchPolicy === 'Exact' ? [] : c.otherVersions.map((version) => ({ ...c.requested, version })))];
  for (const as of candidates) {
    if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, a, as))) return undefined;
    if (!m.resourceRules?.length) {
      if (!requireRules) return c.requested;
      continue;
    }
    if (m.resourceRules.some((r) => ruleMatches(r, a, as))) return as;
  }
  return undefined;
}

function namespaceMatches(m: MatchResources, c: MatchContext): boolean {
  const sel = m.namespaceSelector;
  if (!sel || (!sel.matchLabels && !sel.matchExpressions?.length && Object.keys(sel).length === 0)) return true;
  const { a } = c;
  const isNamespace = a.resource.group === '' && a.resource.resource === 'namespaces';
  if (isNamespace) return selectorObjectMatches(sel, labelsOf(a.object ?? a.oldObject));
  if (!a.namespace) return true;
  return selectorObjectMatches(sel, c.namespaceLabels() ?? {});
}

function objectMatches(m: MatchResources, a: AdmissionAttributes): boolean {
  const sel = m.objectSelector;
  if (!sel || (!sel.matchLabels && !sel.matchExpressions?.length)) return true;
  return [a.object, a.oldObject].some((o) => o !== undefined && selectorObjectMatches(sel, labelsOf(o)));
}

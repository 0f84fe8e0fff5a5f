// The audit policy (audit.k8s.io/v1 Policy) as kube-apiserver reads and evaluates it
// (k8s.io/apiserver pkg/audit/policy: reader.go, checker.go; pkg/apis/audit/validation): the
// first rule that matches a request sets its level and the stages left out; no match, no audit.
import type { UserInfo } from '../../api/user.js';
import { yaml } from '../../api/yaml.js';

export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type Level = (typeof LEVELS)[number];
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type Stage = (typeof STAGES)[number];

export interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

export interface Policy {
  rules: PolicyRule[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

/** What the policy asks for one request: the level, the stages not written, and whether managedFields are dropped. */
export interface RequestAuditConfig {
  level: Level;
  omitStages: Stage[];
  omitManagedFields: boolean;
}

/** The request attributes a rule matches (the authenticated user, before impersonation). */
export interface AuditAttributes {
  user?: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** The level order (Level.Less). */
export const atLeast = (level: Level, min: Level): boolean => LEVELS.indexOf(level) >= LEVELS.indexOf(min);

/** Reads and validates a policy file; errors name the file. */
export function parsePolicy(text: string, file: string): Policy {
  let doc: unknown;
  try {
    doc = yaml().parse(text);
  } catch (err) {
    throw new Error(`failed decoding file "${file}": ${(err as Error).message}`);
  }
  if (!isRecord(doc)) throw new Error(`failed decoding file "${file}": not an audit.k8s.io/v1 Policy`);
  if (doc.apiVersion !== 'audit.k8s.io/v1' || doc.kind !== 'Policy') {
    throw new Error(`failed decoding file "${file}": no kind "${String(doc.kind ?? '')}" is registered for version "${String(doc.apiVersion ?? '')}": expected audit.k8s.io/v1 Policy`);
  }
  const policy = doc as unknown as Policy;
  const errors = validatePolicy(policy);
  if (errors.length) throw new Error(`failed validating policy file "${file}": [${errors.join(', ')}]`);
  if (!policy.rules?.length) throw new Error(`loaded illegal policy with 0 rules from file ${file}`);
  return policy;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

function validatePolicy(p: Policy): string[] {
  const errs: string[] = [];
  const stages = (list: unknown, path: string) => {
    if (!isStringList(list)) return errs.push(`${path}: Invalid value: must be a list of stages`);
    list?.forEach((s, i) => {
      if (!STAGES.includes(s as Stage)) errs.push(`${path}[${i}]: Unsupported value: "${s}": supported values: ${quoted(STAGES)}`);
    });
  };
  stages(p.omitStages, 'omitStages');
  if (p.rules !== undefined && !Array.isArray(p.rules)) return [...errs, 'rules: Invalid value: must be a list'];
  (p.rules ?? []).forEach((r, i) => {
    const at = `rules[${i}]`;
    if (!isRecord(r)) return errs.push(`${at}: Invalid value: must be an object`);
    if (!LEVELS.includes(r.level)) errs.push(`${at}.level: Unsupported value: "${String(r.level ?? '')}": supported values: ${quoted(LEVELS)}`);
    for (const f of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs'] as const) {
      if (!isStringList(r[f])) errs.push(`${at}.${f}: Invalid value: must be a list of strings`);
    }
    const hasResources = !!(r.resources?.length || r.namespaces?.length);
    if (hasResources && r.nonResourceURLs?.length) errs.push(`${at}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs`);
    (isStringList(r.nonResourceURLs) ? (r.nonResourceURLs ?? []) : []).forEach((url, j) => {
      if (!url.startsWith('/') && url !== '*') errs.push(`${at}.nonResourceURLs[${j}]: Invalid value: "${url}": non-resource URL rules must begin with a '/' character`);
      else if (url.slice(0, -1).includes('*')) errs.push(`${at}.nonResourceURLs[${j}]: Invalid value: "${url}": non-resource URL wildcards '*' must be the final character of the rule`);
    });
    if (r.resources !== undefined && !Array.isArray(r.resources)) errs.push(`${at}.resources: Invalid value: must be a list`);
    (Array.isArray(r.resources) ? r.resources : []).forEach((g, j) => {
      if (!isRecord(g) || (g.group !== undefined && typeof g.group !== 'string') || !isStringList(g.resources) || !isStringList(g.resourceNames)) {
        return errs.push(`${at}.resources[${j}]: Invalid value: must be {group, resources, resourceNames}`);
      }
      if (g.resourceNames?.length && !g.resources?.length) errs.push(`${at}.resources[${j}].resourceNames: Invalid value: using resourceNames requires at least one resource`);
    });
    stages(r.omitStages, `${at}.omitStages`);
    if (r.omitManagedFields !== undefined && typeof r.omitManagedFields !== 'boolean') errs.push(`${at}.omitManagedFields: Invalid value: must be true or false`);
  });
  return errs;
}

/** The first matching rule's level and stages; no match: level None (DefaultAuditLevel). */
export function evaluatePolicy(p: Policy, a: AuditAttributes): RequestAuditConfig {
  const rule = p.rules.find((r) => ruleMatches(r, a));
  const omitStages = [...new Set([...(p.omitStages ?? []), ...(rule?.omitStages ?? [])])];
  return { level: rule?.level ?? 'None', omitStages, omitManagedFields: rule?.omitManagedFields ?? p.omitManagedFields ?? false };
}

function ruleMatches(r: PolicyRule, a: AuditAttributes): boolean {
  if (r.users?.length && (!a.user || !r.users.includes(a.user.username))) return false;
  if (r.userGroups?.length && (!a.user || !a.user.groups.some((g) => r.userGroups!.includes(g)))) return false;
  if (r.verbs?.length && !r.verbs.includes(a.verb)) return false;
  if (r.namespaces?.length || r.resources?.length) return resourceMatches(r, a);
  if (r.nonResourceURLs?.length) return !a.isResourceRequest && r.nonResourceURLs.some((u) => pathMatches(a.path, u));
  return true;
}

function pathMatches(path: string, spec: string): boolean {
  return spec === '*' || spec === path || (spec.endsWith('*') && path.startsWith(spec.slice(0, -1)));
}

function resourceMatches(r: PolicyRule, a: AuditAttributes): boolean {
  if (!a.isResourceRequest) return false;
  if (r.namespaces?.length && !r.namespaces.includes(a.namespace)) return false;
  if (!r.resources?.length) return true;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  for (const gr of r.resources) {
    if ((gr.group ?? '') !== a.apiGroup && gr.group !== '*') continue;
    if (!gr.resources?.length) return true;
    if (gr.resourceNames?.length && !gr.resourceNames.includes(a.name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (a.subresource && res.startsWith('*/') && res.slice(2) === a.subresource) return true;
      // `pods/*` matches the resource's subresources and the resource itself (the prefix alone is compared).
      if (res.endsWith('/*') && res.slice(0, -2) === a.resource) return true;
    }
  }
  return false;
}

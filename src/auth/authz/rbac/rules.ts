// Matching one RBAC PolicyRule against request attributes (plugin/pkg/auth/authorizer/rbac/rbac.go
// RuleAllows, pkg/apis/rbac/v1/evaluation_helpers.go).
import type { Attributes } from '../authorizer.js';
import { goQuoteList } from '../../../api/go-quote.js';

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const ALL = '*';

export const verbMatches = (rule: PolicyRule, verb: string) => (rule.verbs ?? []).some((v) => v === ALL || v === verb);

export const apiGroupMatches = (rule: PolicyRule, group: string) => (rule.apiGroups ?? []).some((g) => g === ALL || g === group);

/** `combined` is resource or resource/subresource; the only patterns are `*` and star-slash-subresource. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((r) => r === ALL || r === combined || (subresource !== '' && r.length === subresource.length + 2 && r === `*/${subresource}`));
}

/** An empty list allows every name; otherwise the request name must be listed (plain equality, so a
 * request without a name matches only a rule that lists "" — upstream ResourceNameMatches). */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  if (!names.length) return true;
  return names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === ALL || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

export function ruleAllows(attrs: Pick<Attributes, 'isResourceRequest' | 'verb' | 'apiGroup' | 'resource' | 'subresource' | 'name' | 'path'>, rule: PolicyRule): boolean {
  if (attrs.isResourceRequest) {
    const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    return verbMatches(rule, attrs.verb) && apiGroupMatches(rule, attrs.apiGroup) && resourceMatches(rule, combined, attrs.subresource) && resourceNameMatches(rule, attrs.name);
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

/** CompactString: `{APIGroups:["" "apps"], Resources:["pods"], Verbs:["get"]}` with empty parts left out. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${goQuoteList(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${goQuoteList(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoteList(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${goQuoteList(rule.resourceNames)}`);
  if (rule.verbs?.length) parts.push(`Verbs:${goQuoteList(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

// The RBAC authorizer: allow when a rule of a role bound to the user (or one of its groups)
// matches; never deny, only "no opinion" (plugin/pkg/auth/authorizer/rbac/rbac.go).
import type { UserInfo } from '../../../api/user.js';
import type { Attributes, Authorizer, Decision } from '../authorizer.js';
import type { Binding, PolicyIndex, Subject } from './policy-index.js';
import { ruleAllows, type PolicyRule } from './rules.js';
import { aggregateText } from '../../../api/aggregate.js';

/** Go's %q for the names in the describers (quotes and backslashes escaped). */
const q = (s: string) => JSON.stringify(s);

function describeSubject(s: Subject, binding: Binding): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount ${q(`${s.name}/${s.namespace || binding.namespace}`)}`;
  return `${s.kind} ${q(s.name)}`;
}

function describeSource(binding: Binding, subject: Subject): string {
  const which = binding.kind === 'ClusterRoleBinding' ? `ClusterRoleBinding ${q(binding.name)}` : `RoleBinding ${q(`${binding.name}/${binding.namespace}`)}`;
  return `${which} of ${binding.roleRef.kind} ${q(binding.roleRef.name)} to ${describeSubject(subject, binding)}`;
}


/**
 * What one decision depends on besides the user (RBAC ignores the API version): each part
 * length-prefixed, so no two sets of attributes share a key.
 */
const attributesKey = (a: Attributes) =>
  a.isResourceRequest
    ? `r${a.verb.length}:${a.verb}${a.namespace.length}:${a.namespace}${a.apiGroup.length}:${a.apiGroup}${a.resource.length}:${a.resource}${a.subresource.length}:${a.subresource}${a.name}`
    : `n${a.verb.length}:${a.verb}${a.path}`;

/** Decisions kept per user object, at most this many each. */
const REMEMBERED_DECISIONS = 256;

export class RbacAuthorizer implements Authorizer {
  /** Decisions per user object (the authenticator hands out one per cached credential), for one policy generation. */
  private remembered = new WeakMap<UserInfo, Map<string, Decision>>();
  private generation = -1;

  constructor(private readonly index: PolicyIndex) {}

  async authorize(attrs: Attributes): Promise<Decision> {
    if (this.generation !== this.index.generation) {
      this.remembered = new WeakMap();
      this.generation = this.index.generation;
    }
    let decisions = this.remembered.get(attrs.user);
    if (!decisions) this.remembered.set(attrs.user, (decisions = new Map()));
    const key = attributesKey(attrs);
    let d = decisions.get(key);
    if (!d) {
      if (decisions.size >= REMEMBERED_DECISIONS) decisions.clear();
      decisions.set(key, (d = this.decide(attrs)));
    }
    return d;
  }

  /** The decision worked out from the policy, without looking for a remembered one. */
  decide(attrs: Attributes): Decision {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    this.index.visit(attrs.user, attrs.namespace, (source, rule, err) => {
      if (err) errors.push(err);
      else if (source && rule && ruleAllows(attrs, rule)) {
        allowedBy = describeSource(source.binding, source.subject);
        return false;
      }
      return true;
    });
    if (allowedBy) return { decision: 'allow', reason: `RBAC: allowed by ${allowedBy}` };
    return { decision: 'no-opinion', reason: errors.length ? `RBAC: ${aggregateText(errors)}` : '' };
  }

  /** RulesFor: every rule granted to the user in a namespace, and the errors met on the way. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.index.visit(user, namespace, (_source, rule, err) => {
      if (err) errors.push(err);
      else if (rule) rules.push(rule);
      return true;
    });
    return { rules, errors };
  }
}

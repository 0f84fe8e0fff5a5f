// Kubernetes' authz library (k8s.io/apiserver/pkg/cel/library/authz.go): `authorizer.group(g).resource(r)
// .namespace(n).name(x).subresource(s).check(verb)` and `authorizer.path(p).check(verb)`, with the decision's
// allowed(), reason(), errored(), error(); `authorizer.serviceAccount(ns, name)` asks as that account.
// Checks are answered from a cache that admission.ts fills between evaluation rounds.
import type { Environment } from '@marcbachmann/cel-js';

export interface AuthzCheck {
  verb: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
  /** Set by `authorizer.serviceAccount(ns, name)`: ask as that user. */
  user?: string;
}

export interface AuthzDecision {
  decision: 'Allow' | 'Deny' | 'NoOpinion';
  reason: string;
  error?: string;
}

export class AuthorizerValue {
  readonly requestResource: ResourceCheck;
  constructor(
    readonly decisions: Map<string, AuthzDecision>,
    readonly pending: Map<string, AuthzCheck>,
    readonly request?: Omit<AuthzCheck, 'verb' | 'path' | 'user'>,
    readonly user?: string,
  ) {
    this.requestResource = new ResourceCheck(this, { ...(request ?? {}) });
  }
}

export class ResourceCheck {
  constructor(
    readonly authz: AuthorizerValue,
    readonly attrs: Omit<AuthzCheck, 'verb'>,
  ) {}
  with(extra: Partial<AuthzCheck>): ResourceCheck {
    return new ResourceCheck(this.authz, { ...this.attrs, ...extra });
  }
}

export class PathCheck {
  constructor(
    readonly authz: AuthorizerValue,
    readonly path: string,
  ) {}
}

export class Decision {
  constructor(readonly d: AuthzDecision) {}
}

const PENDING: AuthzDecision = { decision: 'NoOpinion', reason: '' };

function check(authz: AuthorizerValue, attrs: AuthzCheck): Decision {
  const full = authz.user ? { ...attrs, user: authz.user } : attrs;
  const key = JSON.stringify(full, Object.keys(full).sort());
  const known = authz.decisions.get(key);
  if (known) return new Decision(known);
  authz.pending.set(key, full);
  return new Decision(PENDING);
}

/** The authorizer's types and functions; admission declares the `authorizer` variable where it is allowed. */
export function registerAuthorizer(env: Environment): void {
  env.registerType('kubernetes.authorization.PathCheck', PathCheck);
  env.registerType('kubernetes.authorization.ResourceCheck', ResourceCheck);
  env.registerType('kubernetes.authorization.Decision', Decision);
  env.registerType('kubernetes.authorization.Authorizer', { ctor: AuthorizerValue, fields: { requestResource: 'kubernetes.authorization.ResourceCheck' } });
  const A = 'kubernetes.authorization.Authorizer';
  const R = 'kubernetes.authorization.ResourceCheck';
  env.registerFunction(`${A}.path(string): kubernetes.authorization.PathCheck`, (a: AuthorizerValue, p: string) => new PathCheck(a, p));
  env.registerFunction(`${A}.group(string): ${R}`, (a: AuthorizerValue, g: string) => new ResourceCheck(a, { group: g }));
  env.registerFunction(`${A}.serviceAccount(string, string): ${A}`, (a: AuthorizerValue, ns: string, name: string) => new AuthorizerValue(a.decisions, a.pending, a.request, `system:serviceaccount:${ns}:${name}`));
  for (const f of ['resource', 'subresource', 'namespace', 'name'] as const) {
    env.registerFunction(`${R}.${f}(string): ${R}`, (r: ResourceCheck, v: string) => r.with({ [f]: v }));
  }
  env.registerFunction(`${R}.check(string): kubernetes.authorization.Decision`, (r: ResourceCheck, verb: string) => check(r.authz, { ...r.attrs, verb }));
  env.registerFunction('kubernetes.authorization.PathCheck.check(string): kubernetes.authorization.Decision', (p: PathCheck, verb: string) => check(p.authz, { path: p.path, verb }));
  env.registerFunction('kubernetes.authorization.Decision.allowed(): bool', (d: Decision) => d.d.decision === 'Allow');
  env.registerFunction('kubernetes.authorization.Decision.reason(): string', (d: Decision) => d.d.reason);
  env.registerFunction('kubernetes.authorization.Decision.errored(): bool', (d: Decision) => !!d.d.error);
  env.registerFunction('kubernetes.authorization.Decision.error(): string', (d: Decision) => d.d.error ?? '');
}

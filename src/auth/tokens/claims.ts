// The claims of ServiceAccount tokens (pkg/serviceaccount/claims.go and legacy.go).

/** The issuer of legacy Secret-based tokens. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export const SA_PREFIX = 'system:serviceaccount:';
export const ALL_SA_GROUP = 'system:serviceaccounts';

export const saUsername = (namespace: string, name: string) => `${SA_PREFIX}${namespace}:${name}`;

export interface Ref {
  name: string;
  uid?: string;
}

/** The private claim object `kubernetes.io` of bound tokens (field order as Go's struct). */
export interface KubernetesClaim {
  namespace?: string;
  serviceaccount?: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
  warnafter?: number;
}

export interface BoundClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss?: string;
  jti?: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

export interface BoundClaimsInput {
  namespace: string;
  serviceAccount: Ref;
  audiences: string[];
  /** Now, in seconds since the epoch. */
  now: number;
  /** exp - now: the (possibly extended) lifetime. */
  lifetimeSeconds: number;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
  /** Seconds after now when the token should warn that it is stale (the 3607 s extension). */
  warnAfterSeconds?: number;
  jti?: string;
}

const ref = (r: Ref): Ref => (r.uid ? { name: r.name, uid: r.uid } : { name: r.name });

export function boundClaims(i: BoundClaimsInput): BoundClaims {
  const k: KubernetesClaim = { namespace: i.namespace, serviceaccount: ref(i.serviceAccount) };
  if (i.pod) k.pod = ref(i.pod);
  if (i.secret) k.secret = ref(i.secret);
  if (i.node) k.node = ref(i.node);
  if (i.warnAfterSeconds) k.warnafter = i.now + i.warnAfterSeconds;
  return {
    aud: i.audiences,
    exp: i.now + i.lifetimeSeconds,
    iat: i.now,
    ...(i.jti ? { jti: i.jti } : {}),
    'kubernetes.io': k,
    nbf: i.now,
    sub: saUsername(i.namespace, i.serviceAccount.name),
  };
}

export interface LegacyClaims {
  iss?: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
  sub: string;
}

export function legacyClaims(namespace: string, serviceAccount: Required<Ref>, secretName: string): LegacyClaims {
  return {
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': serviceAccount.name,
    'kubernetes.io/serviceaccount/service-account.uid': serviceAccount.uid,
    sub: saUsername(namespace, serviceAccount.name),
  };
}

/** SplitUsername: namespace and name of a ServiceAccount username, or undefined (by default any non-empty names are valid). */
export function splitSaUsername(username: string, validName: (s: string) => boolean = (s) => s !== ''): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  return validName(namespace) && validName(name) ? { namespace, name } : undefined;
}

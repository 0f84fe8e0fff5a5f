// ServiceAccount JWTs (pkg/serviceaccount/jwt.go, claims.go, legacy.go): bound tokens from the
// TokenRequest API and legacy tokens from Secrets. Signature, issuer, audiences and expiry are
// checked here, then the ServiceAccount (and the Pod, Secret or Node a token is bound to) must
// still exist with the same UID.
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../api/clock.js';
import type { Node, Pod, Secret, ServiceAccount } from '../../api/kinds.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { jsonType } from '../../api/json-values.js';
import { ALL_SA_GROUP, LEGACY_ISSUER, saUsername, splitSaUsername, type BoundClaims, type Ref } from '../tokens/claims.js';
import { verifyCompact } from '../tokens/jws.js';
import type { VerificationKey } from '../tokens/keys.js';
import type { UserInfo } from '../../api/user.js';
import { isDNS1123Subdomain } from '../../api/validation.js';
import type { TokenAuthenticator, TokenResult } from './token.js';
import { aggregateText } from '../../api/aggregate.js';
import { goQuoteList } from '../../api/go-quote.js';
import { INVALID_SINCE_LABEL, LAST_USED_LABEL } from '../../api/well-known.js';

const LEEWAY_SECONDS = 60;

/** The objects a token can be bound to, by resource. */
export interface LookupKinds {
  serviceaccounts: ServiceAccount;
  secrets: Secret;
  pods: Pod;
  nodes: Node;
}
export type LookupResource = keyof LookupKinds;

/** Reads the objects tokens refer to; undefined when missing. */
export interface ObjectLookup {
  get<K extends LookupResource>(resource: K, namespace: string, name: string): Promise<LookupKinds[K] | undefined>;
}

export interface ServiceAccountTokenOptions {
  /** --service-account-issuer values: tokens of any of them are accepted. */
  issuers: string[];
  keys: VerificationKey[];
  /** --api-audiences: the implicit audiences. */
  apiAudiences: string[];
  lookup: ObjectLookup;
  clock: Clock;
  /**
   * Counts a token that authenticated: a legacy one, or a bound one with a warnafter claim, stale
   * (past it) or valid (serviceaccount_*_tokens_total).
   */
  tokenUsed?: (kind: 'legacy' | 'stale' | 'valid') => void;
  /** Records that a legacy token Secret was used today (kubernetes.io/legacy-token-last-used). */
  markLegacyUse?(secret: KubeObject, today: string): void;
}

class TokenError extends Error {}

const b64json = (part: string): unknown => {
  if (part.includes('=') || !/^[A-Za-z0-9_-]*$/.test(part)) throw new TokenError('not base64url');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
};

/**
 * jwt.NumericDate as go-jose decodes it: any JSON number, made an int64 (a value out of range
 * becomes the smallest int64, as Go converts on amd64); anything else is an error. Absent or null
 * is undefined.
 */
function numericDate(claims: Record<string, unknown>, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const v = claims[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new TokenError('go-jose/go-jose/jwt: expected number for numeric date');
  return Math.abs(v) < 2 ** 63 ? Math.trunc(v) : -(2 ** 63);
}

/** The registered claims go-jose decodes into jwt.Claims: a value of another type fails the token. */
function checkRegisteredClaims(claims: Record<string, unknown>): void {
  for (const name of ['iss', 'sub', 'jti'] as const) {
    const v = claims[name];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new TokenError(`json: cannot unmarshal ${jsonType(v)} into Go struct field Claims.${name} of type string`);
  }
  const aud = claims.aud;
  if (aud !== undefined && aud !== null && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    throw new TokenError('go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience');
  }
}

export function serviceAccountTokenAuthenticator(opts: ServiceAccountTokenOptions): TokenAuthenticator {
  const now = () => Math.floor(opts.clock.now().getTime() / 1000);

  function verifySignature(token: string, header: { alg: string; kid?: unknown }): void {
    const kid = typeof header.kid === 'string' ? header.kid : '';
    const keys = kid ? opts.keys.filter((k) => k.kid === kid) : opts.keys;
    if (!keys.length) throw new TokenError('invalid signature, no keys found');
    const errors: string[] = [];
    for (const k of keys) {
      try {
        verifyCompact(token, header.alg, k.publicKey);
        return;
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    throw new TokenError(aggregateText(errors));
  }

  function checkAudiences(tokenAud: unknown, requested: string[] | undefined): string[] {
    const aud = typeof tokenAud === 'string' ? [tokenAud] : Array.isArray(tokenAud) ? tokenAud.filter((a): a is string => typeof a === 'string') : [];
    const tokenAuds = aud.length ? aud : opts.apiAudiences;
    const wanted = requested?.length ? requested : opts.apiAudiences;
    const both = tokenAuds.filter((a) => wanted.includes(a));
    if (!both.length && opts.apiAudiences.length) throw new TokenError(`token audiences ${goQuoteList(tokenAuds)} is invalid for the target audiences ${goQuoteList(wanted)}`);
    return both;
  }

  const deletedBefore = (o: KubeObject, cutoff: number) => !!o.metadata.deletionTimestamp && Date.parse(o.metadata.deletionTimestamp) / 1000 < cutoff;

  async function validateBound(claims: BoundClaims): Promise<UserInfo> {
    const t = now();
    const [exp, nbf, iat] = (['exp', 'nbf', 'iat'] as const).map((n) => numericDate(claims as unknown as Record<string, unknown>, n));
    if (exp !== undefined && t - LEEWAY_SECONDS > exp) throw new TokenError('service account token has expired');
    if (nbf !== undefined && t + LEEWAY_SECONDS < nbf) throw new TokenError('service account token is not valid yet');
    if (iat !== undefined && t + LEEWAY_SECONDS < iat) throw new TokenError('service account token is issued in the future');
    const k = isObject(claims['kubernetes.io']) ? claims['kubernetes.io'] : {};
    const namespace = typeof k.namespace === 'string' ? k.namespace : '';
    const saRef = (k.serviceaccount ?? {}) as Ref;
    const cutoff = t - LEEWAY_SECONDS;
    const sa = await opts.lookup.get('serviceaccounts', namespace, saRef.name ?? '');
    if (!sa) throw new TokenError(`serviceaccounts "${saRef.name ?? ''}" not found`);
    if (sa.metadata.uid !== saRef.uid) throw new TokenError(`service account UID (${sa.metadata.uid}) does not match claim (${saRef.uid})`);
    if (deletedBefore(sa, cutoff)) throw new TokenError(`service account ${namespace}/${saRef.name} has been deleted`);
    const extra: Record<string, string[]> = {};
    if (k.secret) {
      const ref = k.secret as Ref;
      const secret = await opts.lookup.get('secrets', namespace, ref.name);
      if (!secret) throw new TokenError('service account token has been invalidated');
      if (secret.metadata.uid !== ref.uid) throw new TokenError(`secret UID (${secret.metadata.uid}) does not match service account secret ref claim (${ref.uid})`);
      if (deletedBefore(secret, cutoff)) throw new TokenError('service account token has been invalidated');
    }
    if (k.pod) {
      const ref = k.pod as Ref;
      const pod = await opts.lookup.get('pods', namespace, ref.name);
      if (!pod) throw new TokenError('service account token has been invalidated');
      if (pod.metadata.uid !== ref.uid) throw new TokenError(`pod UID (${pod.metadata.uid}) does not match service account pod ref claim (${ref.uid})`);
      if (deletedBefore(pod, cutoff)) throw new TokenError('service account token has been invalidated');
      extra['authentication.kubernetes.io/pod-name'] = [ref.name];
      extra['authentication.kubernetes.io/pod-uid'] = [ref.uid ?? ''];
    }
    if (k.node) {
      const ref = k.node as Ref;
      if (!k.pod) {
        const node = await opts.lookup.get('nodes', '', ref.name);
        if (!node || deletedBefore(node, cutoff)) throw new TokenError('service account token has been invalidated');
        if (node.metadata.uid !== ref.uid) throw new TokenError(`node UID (${node.metadata.uid}) does not match service account node ref claim (${ref.uid})`);
      }
      extra['authentication.kubernetes.io/node-name'] = [ref.name];
      if (ref.uid) extra['authentication.kubernetes.io/node-uid'] = [ref.uid];
    }
    if (typeof claims.jti === 'string' && claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    if (typeof k.warnafter === 'number' && k.warnafter !== 0) opts.tokenUsed?.(t > k.warnafter ? 'stale' : 'valid');
    return {
      username: saUsername(namespace, saRef.name ?? ''),
      uid: saRef.uid,
      groups: [ALL_SA_GROUP, `${ALL_SA_GROUP}:${namespace}`],
      ...(Object.keys(extra).length ? { extra: sortedExtra(extra) } : {}),
    };
  }

  async function validateLegacy(claims: Record<string, unknown>, token: string, warnings: string[]): Promise<UserInfo> {
    const get = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : '');
    const sub = get('sub');
    const namespace = get('kubernetes.io/serviceaccount/namespace');
    const secretName = get('kubernetes.io/serviceaccount/secret.name');
    const saName = get('kubernetes.io/serviceaccount/service-account.name');
    const saUid = get('kubernetes.io/serviceaccount/service-account.uid');
    if (!sub) throw new TokenError('sub claim is missing');
    if (!namespace) throw new TokenError('namespace claim is missing');
    if (!secretName) throw new TokenError('secretName claim is missing');
    if (!saName) throw new TokenError('serviceAccountName claim is missing');
    if (!saUid) throw new TokenError('serviceAccountUID claim is missing');
    const split = splitSaUsername(sub, (s) => isDNS1123Subdomain(s).length === 0);
    if (!split || split.namespace !== namespace || split.name !== saName) throw new TokenError('sub claim is invalid');

    const secret = await opts.lookup.get('secrets', namespace, secretName);
    if (!secret || secret.metadata.deletionTimestamp) throw new TokenError('Token has been invalidated');
    const stored = Buffer.from(secret.data?.token ?? '', 'base64');
    const presented = Buffer.from(token);
    if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) throw new TokenError("Token does not match server's copy");
    const sa = await opts.lookup.get('serviceaccounts', namespace, saName);
    if (!sa) throw new TokenError(`serviceaccounts "${saName}" not found`);
    if (sa.metadata.deletionTimestamp) throw new TokenError(`ServiceAccount ${namespace}/${saName} has been deleted`);
    if (sa.metadata.uid !== saUid) throw new TokenError(`ServiceAccount UID (${sa.metadata.uid}) does not match claim (${saUid})`);
    const today = opts.clock.now().toISOString().slice(0, 10);
    const labels = secret.metadata.labels ?? {};
    if (labels[INVALID_SINCE_LABEL]) {
      opts.markLegacyUse?.(secret, today);
      throw new TokenError(
        `the token in secret ${namespace}/${secretName} for service account ${namespace}/${saName} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${INVALID_SINCE_LABEL}' label from the secret to temporarily allow use of this token`,
      );
    }
    const autogenerated = ((sa.secrets as Ref[] | undefined) ?? []).some((s) => s.name === secretName);
    if (autogenerated) warnings.push('Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.');
    const tomorrow = new Date(opts.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    if (labels[LAST_USED_LABEL] !== today && labels[LAST_USED_LABEL] !== tomorrow) opts.markLegacyUse?.(secret, today);
    opts.tokenUsed?.('legacy');
    return { username: sub, uid: saUid, groups: [ALL_SA_GROUP, `${ALL_SA_GROUP}:${namespace}`] };
  }

  return {
    async authenticateToken(token: string, audiences?: string[]): Promise<TokenResult> {
      // The cheap issuer sniff: anything that is not one of our JWTs is "not mine".
      const trimmed = token.trim();
      if (trimmed.startsWith('{')) return undefined;
      const parts = trimmed.split('.');
      if (parts.length !== 3) return undefined;
      let header: { alg: string; kid?: unknown };
      let claims: Record<string, unknown>;
      try {
        const p = b64json(parts[1]!);
        const h = b64json(parts[0]!);
        // jwt.ParseSigned fails on a header without a string alg: not a token of this authenticator
        if (!isObject(p) || !isObject(h) || typeof h.alg !== 'string') return undefined;
        claims = p;
        header = h as { alg: string };
      } catch {
        return undefined;
      }
      const iss = claims.iss;
      const legacy = iss === LEGACY_ISSUER;
      if (typeof iss !== 'string' || (!legacy && !opts.issuers.includes(iss))) return undefined;
      try {
        verifySignature(trimmed, header);
        checkRegisteredClaims(claims);
        for (const n of ['exp', 'nbf', 'iat'] as const) numericDate(claims, n);
        const auds = checkAudiences(claims.aud, audiences);
        const warnings: string[] = [];
        const user = legacy ? await validateLegacy(claims, trimmed, warnings) : await validateBound(claims as unknown as BoundClaims);
        return { user, audiences: auds, ...(warnings.length ? { warnings } : {}) };
      } catch (err) {
        return { error: err instanceof TokenError ? err.message : String((err as Error).message ?? err) };
      }
    },
  };
}

function sortedExtra(extra: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(extra).sort()) out[k] = extra[k]!;
  return out;
}

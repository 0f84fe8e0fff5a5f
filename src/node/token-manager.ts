// The kubelet's token manager (pkg/kubelet/token/token_manager.go): projected service account
// tokens come from TokenRequest, are cached per request, and are fetched again once they are
// older than 80 % of their lifetime or 24 h (with a few seconds of jitter). Expiry is measured on
// status.expirationTimestamp (3607 s for the injected volume, not the one-year JWT exp).
import type { TokenRequest, TokenRequestStatus } from 'kubernetes-types/authentication/v1.js';
import type { Clock } from '../api/clock.js';
import type { Kind } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';

const MAX_TTL_MS = 24 * 3600_000;
const MAX_JITTER_MS = 10_000;
const GC_PERIOD_MS = 60_000;

export interface BoundObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

export interface TokenRequestSpec {
  /** Empty: the server's API audiences. */
  audiences?: string[];
  expirationSeconds: number;
  boundObjectRef?: BoundObjectRef;
}

/** The part of an authentication.k8s.io/v1 TokenRequest reply the manager keeps. */
export interface TokenRequestResult {
  spec: Partial<TokenRequest['spec']>;
  status: TokenRequestStatus;
}

export interface TokenManagerOptions {
  clock: Clock;
  /** A number in [0, 1) for the jitter (Math.random by default). */
  random?: () => number;
}

/** `"<name>"/"<namespace>"/<audiences>/<expirationSeconds>/<boundObjectRef>`, the cache key. */
export function tokenKey(name: string, namespace: string, spec: TokenRequestSpec): string {
  const ref = spec.boundObjectRef;
  const refText = ref ? `{${ref.apiVersion} ${ref.kind} ${ref.name} ${ref.uid}}` : '<nil>';
  return `${JSON.stringify(name)}/${JSON.stringify(namespace)}/[${(spec.audiences ?? []).join(' ')}]/${spec.expirationSeconds}/${refText}`;
}

/**
 * requiresRefresh: past 24 h since issue, or inside the last 20 % of the lifetime, each less a
 * jitter; or the clock went back before the issue time.
 */
export function requiresRefresh(tr: TokenRequestResult, now: Date, jitterMs: number): boolean {
  const seconds = tr.spec.expirationSeconds;
  if (seconds === undefined) return false;
  const exp = Date.parse(tr.status.expirationTimestamp);
  const iat = exp - seconds * 1000;
  const t = now.getTime();
  if (t > iat + MAX_TTL_MS - jitterMs) return true;
  // Go's integer arithmetic: 20 % of the seconds, truncated.
  if (t > exp - Math.trunc((seconds * 20) / 100) * 1000 - jitterMs) return true;
  return t < iat;
}

export class TokenManager {
  private readonly cache = new Map<string, TokenRequestResult>();
  private readonly random: () => number;
  private lastGc = 0;

  constructor(
    private readonly client: Client,
    private readonly opts: TokenManagerOptions,
  ) {
    this.random = opts.random ?? Math.random;
  }

  private jitter(): number {
    return Math.floor(this.random() * (MAX_JITTER_MS / 1000)) * 1000;
  }

  /** A cached token while it is fresh, else a new one; an old one still valid when the request fails. */
  async getServiceAccountToken(namespace: string, name: string, spec: TokenRequestSpec): Promise<TokenRequestResult> {
    const key = tokenKey(name, namespace, spec);
    const cached = this.cache.get(key);
    const now = this.opts.clock.now();
    if (cached && !requiresRefresh(cached, now, this.jitter())) return cached;
    let fresh: TokenRequestResult;
    try {
      fresh = await this.request(namespace, name, spec);
    } catch (err) {
      if (cached && !expired(cached, now)) {
        console.error(`badge: node: couldn't update token ${key}: ${(err as Error).message}`);
        return cached;
      }
      if (cached) throw new Error(`token ${key} expired and refresh failed: ${(err as Error).message}`);
      throw err;
    }
    this.cache.set(key, fresh);
    return fresh;
  }

  /** Forgets the tokens bound to a pod (the pod was deleted). */
  deleteServiceAccountToken(podUID: string): void {
    for (const [key, tr] of this.cache) if (tr.spec.boundObjectRef?.uid === podUID) this.cache.delete(key);
  }

  /** Drops expired entries, at most once a minute of clock time. */
  cleanup(): void {
    const now = this.opts.clock.now();
    if (now.getTime() - this.lastGc < GC_PERIOD_MS) return;
    this.lastGc = now.getTime();
    for (const [key, tr] of this.cache) if (expired(tr, now)) this.cache.delete(key);
  }

  get size(): number {
    return this.cache.size;
  }

  private async request(namespace: string, name: string, spec: TokenRequestSpec): Promise<TokenRequestResult> {
    const body: KubeObject = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name, namespace },
      spec: {
        ...(spec.audiences?.length ? { audiences: spec.audiences } : {}),
        expirationSeconds: spec.expirationSeconds,
        ...(spec.boundObjectRef ? { boundObjectRef: spec.boundObjectRef } : {}),
      },
    };
    // serviceaccounts/token answers with the TokenRequest.
    const reply = (await this.client.createSubresource(R.serviceaccounts, namespace, name, 'token', body)) as Kind<TokenRequest>;
    const token = reply.status?.token;
    const expirationTimestamp = reply.status?.expirationTimestamp;
    if (!token || !expirationTimestamp) throw new Error(`the TokenRequest for ${namespace}/${name} has no token`);
    const replySpec: TokenRequestResult['spec'] = reply.spec ?? {};
    // The spec the cache decides on is the one asked for: expiry from the request, as the kubelet keeps it.
    return { spec: { ...replySpec, expirationSeconds: replySpec.expirationSeconds ?? spec.expirationSeconds }, status: { token, expirationTimestamp } };
  }
}

const expired = (tr: TokenRequestResult, now: Date) => now.getTime() > Date.parse(tr.status.expirationTimestamp);

// Authenticators answer yes (a user), no (the credential is theirs but wrong), or not mine.
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../../api/user.js';

/**
 * `warnings` become Warning headers of the reply (legacy token use); `auditAnnotations` go on the
 * request's audit event, also when the credential is rejected (a legacy token marked invalid).
 */
export type AuthnResult = { user: UserInfo; warnings?: string[]; auditAnnotations?: Record<string, string> } | { rejected: string; auditAnnotations?: Record<string, string> } | undefined;

/** Adds audit annotations to a request's: the first value of a key wins (audit.AddAuditAnnotation). */
export function addAuditAnnotations(to: Record<string, string>, from: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) if (!(k in to)) to[k] = v;
}

export interface Authenticator {
  name: string;
  authenticate(req: IncomingMessage): Promise<AuthnResult>;
}

/** Tries each authenticator in order; the first user wins (kube-apiserver's union authenticator). */
export function unionAuthenticator(authenticators: Authenticator[]): Authenticator {
  return {
    name: 'union',
    async authenticate(req) {
      let rejected: AuthnResult;
      for (const a of authenticators) {
        const r = await a.authenticate(req);
        if (r && 'user' in r) return r;
        rejected ??= r;
      }
      return rejected;
    },
  };
}

/**
 * Authenticates with `primary`; only when it finds no credentials at all does `fallback` (anonymous)
 * decide. A credential `primary` rejects is a failure (union.NewFailOnError).
 */
export function withFallback(primary: Authenticator, fallback: Authenticator | undefined): Authenticator {
  if (!fallback) return primary;
  return {
    name: `${primary.name}+${fallback.name}`,
    async authenticate(req) {
      return (await primary.authenticate(req)) ?? fallback.authenticate(req);
    },
  };
}

const withGroup = new WeakMap<UserInfo, UserInfo>();

/**
 * Adds system:authenticated to every authenticated user, as the apiserver does. The same user
 * object (a cached token's) gets the same answer, so what is worked out per user can be kept.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === 'system:anonymous' || user.groups.includes('system:authenticated') || user.groups.includes('system:unauthenticated')) return user;
  let full = withGroup.get(user);
  if (!full) withGroup.set(user, (full = { ...user, groups: [...user.groups, 'system:authenticated'] }));
  return full;
}

// Authenticators answer yes (a user), no (the credential is theirs but wrong), or not mine.
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../user.js';

export type AuthnResult = { user: UserInfo } | { rejected: string } | undefined;

export interface Authenticator {
  name: string;
  authenticate(req: IncomingMessage): Promise<AuthnResult>;
}

/** Tries each authenticator in order; the first user wins (kube-apiserver's union authenticator). */
export function unionAuthenticator(authenticators: Authenticator[]): Authenticator {
  return {
    name: 'union',
    async authenticate(req) {
      let rejected: string | undefined;
      for (const a of authenticators) {
        const r = await a.authenticate(req);
        if (r && 'user' in r) return r;
        if (r) rejected ??= r.rejected;
      }
      return rejected === undefined ? undefined : { rejected };
    },
  };
}

/** Adds system:authenticated to every authenticated user, as the apiserver does. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes('system:authenticated') || user.username === 'system:anonymous') return user;
  return { ...user, groups: [...user.groups, 'system:authenticated'] };
}

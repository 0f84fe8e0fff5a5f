// Token authenticators: given a bearer token, yes (a user), no (an error), or not mine.
import type { UserInfo } from '../../api/user.js';
import { aggregateText } from '../../api/aggregate.js';
import { addAuditAnnotations } from './authenticator.js';

/**
 * `warnings` become Warning headers of the reply; `auditAnnotations` go on the request's audit
 * event, a failed authentication's too (the legacy and stale token annotations).
 */
export type TokenResult =
  | { user: UserInfo; audiences: string[]; warnings?: string[]; auditAnnotations?: Record<string, string> }
  | { error: string; auditAnnotations?: Record<string, string> }
  | undefined;

export interface TokenAuthenticator {
  /** `audiences`: what the caller accepts (TokenReview spec.audiences); the API audiences otherwise. */
  authenticateToken(token: string, audiences?: string[]): Promise<TokenResult>;
}

/** The first authenticator that knows the token decides; errors of the others are reported together. */
export function unionTokenAuthenticator(authenticators: TokenAuthenticator[]): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const errors: string[] = [];
      const auditAnnotations: Record<string, string> = {};
      for (const a of authenticators) {
        const r = await a.authenticateToken(token, audiences);
        if (r && 'user' in r) return r;
        if (r) errors.push(r.error);
        addAuditAnnotations(auditAnnotations, r?.auditAnnotations);
      }
      if (!errors.length) return undefined;
      return { error: aggregateText(errors), ...(Object.keys(auditAnnotations).length ? { auditAnnotations } : {}) };
    },
  };
}

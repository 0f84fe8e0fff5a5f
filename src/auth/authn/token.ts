// Token authenticators: given a bearer token, yes (a user), no (an error), or not mine.
import type { UserInfo } from '../../api/user.js';
import { aggregateText } from '../../api/aggregate.js';

export type TokenResult =
  | { user: UserInfo; audiences: string[]; warnings?: string[] }
  | { error: string }
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
      for (const a of authenticators) {
        const r = await a.authenticateToken(token, audiences);
        if (r && 'user' in r) return r;
        if (r) errors.push(r.error);
      }
      if (!errors.length) return undefined;
      return { error: aggregateText(errors) };
    },
  };
}

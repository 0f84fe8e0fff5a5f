import type { Authenticator } from './authenticator.js';

export const ANONYMOUS_USER = 'system:anonymous';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';

/** Requests with no credentials at all act as system:anonymous (--anonymous-auth, on by default). */
export const anonymousAuthenticator: Authenticator = {
  name: 'anonymous',
  async authenticate() {
    return { user: { username: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] } };
  },
};

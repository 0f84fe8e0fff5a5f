// Bearer tokens from the Authorization header (request/bearertoken): a token that no token
// authenticator accepts is a failure, not "not mine".
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from './authenticator.js';
import type { TokenAuthenticator } from './token.js';

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization?.trim();
  if (!header) return undefined;
  const parts = header.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

export function bearerAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return {
    name: 'bearer',
    async authenticate(req) {
      const token = bearerToken(req);
      if (!token) return undefined;
      const r = await tokens.authenticateToken(token);
      if (!r) return { rejected: 'invalid bearer token' };
      if ('error' in r) return { rejected: r.error };
      return { user: r.user, warnings: r.warnings };
    },
  };
}

// Bearer tokens from the Authorization header (request/bearertoken): a token that no token
// authenticator accepts is a failure, not "not mine".
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from './authenticator.js';
import type { TokenAuthenticator } from './token.js';

export function bearerToken(req: IncomingMessage): string | undefined {
  // strings.SplitN(strings.TrimSpace(header), " ", 3): the scheme, then the token up to the next space.
  const header = req.headers.authorization?.trim();
  const space = header ? header.indexOf(' ') : -1;
  if (space < 0 || header!.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  const end = header!.indexOf(' ', space + 1);
  return header!.slice(space + 1, end < 0 ? undefined : end) || undefined;
}

export function bearerAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return {
    name: 'bearer',
    async authenticate(req) {
      const token = bearerToken(req);
      if (!token) return undefined;
      const r = await tokens.authenticateToken(token);
      if (!r) return { rejected: 'invalid bearer token' };
      if ('error' in r) return { rejected: r.error, auditAnnotations: r.auditAnnotations };
      return { user: r.user, warnings: r.warnings, auditAnnotations: r.auditAnnotations };
    },
  };
}

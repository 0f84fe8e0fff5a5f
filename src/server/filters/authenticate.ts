import { unauthorized } from '../../api/errors.js';
import { withAuthenticatedGroup, type Authenticator } from '../../auth/authn/authenticator.js';
import type { Filter } from '../context.js';

/** Establishes who is asking; a request nobody vouches for gets the 401 Status. */
export function authenticate(authenticator: Authenticator): Filter {
  return async (rc, next) => {
    const result = await authenticator.authenticate(rc.req);
    if (!result || !('user' in result)) throw unauthorized();
    rc.authenticated = withAuthenticatedGroup(result.user);
    rc.user = rc.authenticated;
    if (result.warnings) rc.warnings.push(...result.warnings);
    await next();
  };
}

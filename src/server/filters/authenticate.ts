import { unauthorized } from '../../api/errors.js';
import { addAuditAnnotations, withAuthenticatedGroup, type Authenticator } from '../../auth/authn/authenticator.js';
import type { Filter } from '../context.js';
import { ApiServerMetrics } from '../metrics/apiserver-metrics.js';

/**
 * Establishes who is asking; a request nobody vouches for gets the 401 Status. Each attempt is
 * counted as kube-apiserver counts it: success, failure (no credential anyone took), or error (a
 * credential its authenticator rejected).
 */
export function authenticate(authenticator: Authenticator, metrics?: ApiServerMetrics): Filter {
  return async (rc, next) => {
    const result = await authenticator.authenticate(rc.req);
    // The token authenticators' annotations (legacy and stale tokens), a rejected credential's too.
    addAuditAnnotations(rc.auditAnnotations, result?.auditAnnotations);
    if (!result || !('user' in result)) {
      metrics?.authenticationAttempts.inc([result ? 'error' : 'failure']);
      throw unauthorized();
    }
    metrics?.authenticationAttempts.inc(['success']);
    metrics?.authenticatedUserRequests.inc([ApiServerMetrics.compressUsername(result.user.username)]);
    rc.authenticated = withAuthenticatedGroup(result.user);
    rc.user = rc.authenticated;
    if (result.warnings) rc.warnings.push(...result.warnings);
    await next();
  };
}

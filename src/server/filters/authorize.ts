import { forbidden } from '../../api/errors.js';
import { forbiddenMessage, type Attributes, type Authorizer } from '../../auth/authz/authorizer.js';
import type { PolicyIndex } from '../../auth/authz/rbac/policy-index.js';
import type { Filter, RequestContext } from '../context.js';
import { forbiddenWarning } from '../explain-forbidden.js';

export function attributesOf(rc: RequestContext): Attributes {
  const i = rc.info;
  return {
    user: rc.user!,
    verb: i.verb,
    isResourceRequest: i.isResourceRequest,
    path: i.path,
    apiGroup: i.apiGroup,
    apiVersion: i.apiVersion,
    resource: i.resource,
    subresource: i.subresource,
    namespace: i.namespace,
    name: i.name,
  };
}

const DECISION = 'authorization.k8s.io/decision';
const REASON = 'authorization.k8s.io/reason';

const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Lets the request through only if an authorizer allows it; otherwise the 403 Status, with (given
 * the policy index, --explain-forbidden) a Warning naming the user's closest grant.
 */
export function authorize(authorizer: Authorizer, explain?: PolicyIndex): Filter {
  return async (rc, next) => {
    const attrs = attributesOf(rc);
    let d;
    try {
      d = await authorizer.authorize(attrs);
    } catch (err) {
      rc.auditAnnotations[REASON] = 'internal error';
      throw err;
    }
    // The audit event's annotations (kube-apiserver's WithAuthorization).
    rc.auditAnnotations[DECISION] = d.decision === 'allow' ? 'allow' : 'forbid';
    rc.auditAnnotations[REASON] = d.reason;
    if (d.decision === 'allow') return next();
    const why = sanitize(forbiddenMessage(attrs)) + (d.reason ? `: ${d.reason}` : '');
    if (explain) rc.warnings.push(forbiddenWarning(explain, attrs));
    const gr = attrs.isResourceRequest ? { group: attrs.apiGroup, resource: attrs.resource } : { group: '', resource: '' };
    throw forbidden(gr, attrs.isResourceRequest ? attrs.name : '', why);
  };
}

// authentication.k8s.io/v1 TokenReview: asks whether a token authenticates, and as whom. Nothing
// is stored (pkg/registry/authentication/tokenreview/storage.go).
import { badRequest } from '../../api/errors.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { addAuditAnnotations, withAuthenticatedGroup } from '../../auth/authn/authenticator.js';
import type { TokenAuthenticator } from '../../auth/authn/token.js';
import type { UserInfo } from '../../api/user.js';
import type { ResourceDef } from '../resource.js';
import { tokenReview } from '../schemas/authentication.js';

/** The user info as the review reports it: fields in Go's order, empty ones left out. */
export function userInfoOf(u: UserInfo): Record<string, unknown> {
  return {
    username: u.username,
    ...(u.uid ? { uid: u.uid } : {}),
    ...(u.groups.length ? { groups: u.groups } : {}),
    ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}),
  };
}

export function tokenReviews(authenticator: TokenAuthenticator): ResourceDef {
  return {
    group: 'authentication.k8s.io',
    version: 'v1',
    kind: 'TokenReview',
    resource: 'tokenreviews',
    singular: 'tokenreview',
    namespaced: false,
    schema: tokenReview,
    async createOnly(obj, ctx, namespace) {
      if (namespace) throw badRequest(`namespace is not allowed on this type: ${namespace}`);
      const spec = (isObject(obj.spec) ? obj.spec : {}) as { token?: string; audiences?: string[] };
      if (!spec.token) throw badRequest('token is required for TokenReview in authentication');
      const r = await authenticator.authenticateToken(spec.token, spec.audiences?.length ? spec.audiences : undefined);
      // kube-apiserver authenticates the token in the review request's context: the token's
      // warnings and audit annotations are the review's.
      if (r && 'user' in r && r.warnings) ctx.warnings?.push(...r.warnings);
      if (ctx.auditAnnotations) addAuditAnnotations(ctx.auditAnnotations, r?.auditAnnotations);
      const status =
        r && 'user' in r
          ? { authenticated: true, user: userInfoOf(withAuthenticatedGroup(r.user)), audiences: r.audiences }
          : { user: {}, error: r ? r.error : 'invalid bearer token' };
      const reply: KubeObject = { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
      return reply;
    },
  };
}

// Authorizers decide on request attributes: allow, deny, or no opinion (the next one decides).
import type { UserInfo } from '../../api/user.js';
import { SYSTEM_MASTERS } from '../../api/user.js';

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface Decision {
  decision: 'allow' | 'deny' | 'no-opinion';
  reason: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): Promise<Decision>;
}

/** The first authorizer with an opinion decides; none means deny (kube-apiserver's union). */
export function unionAuthorizer(authorizers: Authorizer[]): Authorizer {
  return {
    async authorize(attrs) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        const d = await a.authorize(attrs);
        if (d.decision !== 'no-opinion') return d;
        if (d.reason) reasons.push(d.reason);
      }
      return { decision: 'no-opinion', reason: reasons.join('\n') };
    },
  };
}

/** Members of system:masters may do anything. */
export const privilegedGroupAuthorizer: Authorizer = {
  async authorize(attrs) {
    return attrs.user.groups.includes(SYSTEM_MASTERS) ? { decision: 'allow', reason: '' } : { decision: 'no-opinion', reason: '' };
  },
};

/** The Forbidden message text for attributes (responsewriters/errors.go forbiddenMessage). */
export function forbiddenMessage(attrs: Attributes): string {
  const user = `User "${attrs.user.username}"`;
  if (!attrs.isResourceRequest) return `${user} cannot ${attrs.verb} path "${attrs.path}"`;
  const res = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `${user} cannot ${attrs.verb} resource "${res}" in API group "${attrs.apiGroup}" ${where}`;
}

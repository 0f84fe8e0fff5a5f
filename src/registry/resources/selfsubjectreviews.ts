// authentication.k8s.io SelfSubjectReview (`kubectl auth whoami`): who the request is, after
// authentication and impersonation. Served as v1 and v1beta1.
import { formatTime, type KubeObject } from '../../api/meta.js';
import type { ResourceDef } from '../resource.js';
import { selfSubjectReview } from '../schemas/authentication.js';
import { userInfoOf } from './tokenreviews.js';

function review(version: 'v1' | 'v1beta1'): ResourceDef {
  const schema = { ...selfSubjectReview, name: `io.k8s.api.authentication.${version}.SelfSubjectReview`, gvk: [{ group: 'authentication.k8s.io', version, kind: 'SelfSubjectReview' }] };
  return {
    group: 'authentication.k8s.io',
    version,
    kind: 'SelfSubjectReview',
    resource: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    namespaced: false,
    schema,
    async createOnly(_obj, ctx) {
      const reply: KubeObject = {
        kind: 'SelfSubjectReview',
        apiVersion: `authentication.k8s.io/${version}`,
        metadata: { creationTimestamp: formatTime(ctx.clock.now()) },
        status: { userInfo: userInfoOf(ctx.user) },
      };
      return reply;
    },
  };
}

export const selfSubjectReviews = review('v1');
export const selfSubjectReviewsV1beta1 = review('v1beta1');

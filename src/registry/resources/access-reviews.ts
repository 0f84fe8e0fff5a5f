// authorization.k8s.io/v1 access reviews: SubjectAccessReview, LocalSubjectAccessReview,
// SelfSubjectAccessReview and SelfSubjectRulesReview. Each answers a question and stores nothing.
import { badRequest } from '../../api/errors.js';
import { invalid as invalidField } from '../../api/field-errors.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { type AccessReviewSpec, AUTHZ_GROUP, failIfInvalid, review, validateAccessReviewSpec } from '../../auth/authz/access-review.js';
import type { Authorizer } from '../../auth/authz/authorizer.js';
import type { RbacAuthorizer } from '../../auth/authz/rbac/authorizer.js';
import type { ResourceDef } from '../resource.js';
import { localSubjectAccessReview, selfSubjectAccessReview, selfSubjectRulesReview, subjectAccessReview } from '../schemas/authorization.js';
import { aggregateText } from '../../api/aggregate.js';
import { specOf } from '../narrow.js';

const base = { group: AUTHZ_GROUP, version: 'v1' } as const;

const metadataEmpty = (o: KubeObject, allowNamespace: boolean) =>
  Object.entries(o.metadata).every(([k, v]) => v === undefined || v === null || (allowNamespace && k === 'namespace') || (k === 'creationTimestamp' && v === null));

export function subjectAccessReviews(authorizer: Authorizer): ResourceDef {
  return {
    ...base,
    kind: 'SubjectAccessReview',
    resource: 'subjectaccessreviews',
    singular: 'subjectaccessreview',
    namespaced: false,
    schema: subjectAccessReview,
    async createOnly(obj) {
      const spec = specOf<AccessReviewSpec>(obj);
      const errs = validateAccessReviewSpec(spec, true);
      if (!metadataEmpty(obj, false)) errs.unshift(invalidField('metadata', obj.metadata, 'must be empty'));
      failIfInvalid('SubjectAccessReview', errs);
      return review(obj, spec, { username: spec.user ?? '', groups: spec.groups ?? [], extra: spec.extra, uid: spec.uid }, authorizer);
    },
  };
}

export function localSubjectAccessReviews(authorizer: Authorizer): ResourceDef {
  return {
    ...base,
    kind: 'LocalSubjectAccessReview',
    resource: 'localsubjectaccessreviews',
    singular: 'localsubjectaccessreview',
    namespaced: true,
    schema: localSubjectAccessReview,
    async createOnly(obj, _ctx, namespace) {
      if (!namespace) throw badRequest('namespace is required on this type: ');
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
      obj.metadata.namespace = namespace;
      const spec = specOf<AccessReviewSpec>(obj);
      const errs = validateAccessReviewSpec(spec, true);
      if (!metadataEmpty(obj, true)) errs.unshift(invalidField('metadata', obj.metadata, 'must be empty except for namespace'));
      if (spec.nonResourceAttributes) errs.push(invalidField('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
      if (spec.resourceAttributes && spec.resourceAttributes.namespace !== namespace) {
        errs.push(invalidField('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
      }
      failIfInvalid('LocalSubjectAccessReview', errs);
      return review(obj, spec, { username: spec.user ?? '', groups: spec.groups ?? [], extra: spec.extra, uid: spec.uid }, authorizer);
    },
  };
}

export function selfSubjectAccessReviews(authorizer: Authorizer): ResourceDef {
  return {
    ...base,
    kind: 'SelfSubjectAccessReview',
    resource: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    namespaced: false,
    schema: selfSubjectAccessReview,
    async createOnly(obj, ctx) {
      const spec = specOf<AccessReviewSpec>(obj);
      const errs = validateAccessReviewSpec(spec, false);
      if (!metadataEmpty(obj, false)) errs.unshift(invalidField('metadata', obj.metadata, 'must be empty'));
      failIfInvalid('SelfSubjectAccessReview', errs);
      return review(obj, spec, ctx.user, authorizer);
    },
  };
}

export function selfSubjectRulesReviews(rbac: RbacAuthorizer): ResourceDef {
  return {
    ...base,
    kind: 'SelfSubjectRulesReview',
    resource: 'selfsubjectrulesreviews',
    singular: 'selfsubjectrulesreview',
    namespaced: false,
    schema: selfSubjectRulesReview,
    async createOnly(obj, ctx) {
      const spec = (isObject(obj.spec) ? obj.spec : {}) as { namespace?: string };
      if (!spec.namespace) throw badRequest('no namespace on request');
      const { rules, errors } = rbac.rulesFor(ctx.user, spec.namespace);
      const resourceRules = rules
        .filter((r) => r.resources?.length)
        .map((r) => ({ verbs: r.verbs ?? [], ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}), resources: r.resources, ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) }));
      const nonResourceRules = rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs }));
      const status = { resourceRules, nonResourceRules, incomplete: errors.length > 0, ...(errors.length ? { evaluationError: aggregateText(errors) } : {}) };
      return { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
    },
  };
}

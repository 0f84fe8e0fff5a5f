// What the access review resources share: their spec validation, the attributes they authorize
// and the status they report (pkg/registry/authorization/util/helpers.go, validation.go).
import { invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import { invalid } from '../../api/errors.js';
import { type KubeObject } from '../../api/meta.js';
import type { UserInfo } from '../../api/user.js';
import type { Attributes, Authorizer } from './authorizer.js';

export const AUTHZ_GROUP = 'authorization.k8s.io';

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}


/** The checks every access review spec gets; `needsSubject` for the kinds that name a user. */
export function validateAccessReviewSpec(spec: AccessReviewSpec, needsSubject: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errs.push(invalidField('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    errs.push(invalidField('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  if (needsSubject && !spec.user && !spec.groups?.length) errs.push(invalidField('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

export function failIfInvalid(kind: string, errs: FieldError[]): void {
  if (errs.length) throw invalid(AUTHZ_GROUP, kind, '', errs);
}

export function attributesOf(spec: AccessReviewSpec, user: UserInfo): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      isResourceRequest: true,
      path: '',
      apiGroup: r.group ?? '',
      apiVersion: r.version || '*',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      namespace: r.namespace ?? '',
      name: r.name ?? '',
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', isResourceRequest: false, path: n.path ?? '', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}

/** Decides and answers: the review with its status. */
export async function review(obj: KubeObject, spec: AccessReviewSpec, user: UserInfo, authorizer: Authorizer): Promise<KubeObject> {
  const d = await authorizer.authorize(attributesOf(spec, user));
  const status: Record<string, unknown> = { allowed: d.decision === 'allow' };
  if (d.decision === 'deny') status.denied = true;
  if (d.reason) status.reason = d.reason;
  return { kind: obj.kind, apiVersion: obj.apiVersion, metadata: { ...obj.metadata, creationTimestamp: null }, spec, status };
}

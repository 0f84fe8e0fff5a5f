// rbac.authorization.k8s.io/v1 ClusterRole: a cluster-wide set of PolicyRules, possibly aggregated
// from other ClusterRoles. No printer upstream (the default Name/Created At table).
import { invalid, required, type FieldError } from '../../api/field-errors.js';
import { fromLabelSelectorObject, validateLabelSelectorObject, type LabelSelectorObject } from '../../api/labels.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import type { ResourceDef } from '../resource.js';
import { clusterRole } from '../schemas/rbac.js';
import { goNil } from './go-values.js';
import { RBAC_GROUP, validatePolicyRules } from './rbac-common.js';

/** ValidateClusterRole: the rules, then the aggregation rule's selectors. */
function validate(o: KubeObject): FieldError[] {
  const errs = validatePolicyRules(o.rules, false);
  if (!isObject(o.aggregationRule)) return errs;
  const selectors = Array.isArray(o.aggregationRule.clusterRoleSelectors) ? o.aggregationRule.clusterRoleSelectors : [];
  const path = 'aggregationRule.clusterRoleSelectors';
  if (selectors.length === 0) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
  selectors.forEach((raw, i) => {
    const sel = (isObject(raw) ? raw : {}) as LabelSelectorObject;
    errs.push(...validateLabelSelectorObject(sel, `${path}[${i}]`));
    try {
      fromLabelSelectorObject(sel);
    } catch {
      // Go reports the (nil) selector the conversion returned.
      errs.push(invalid(`${path}[${i}]`, goNil(), 'invalid label selector.'));
    }
  });
  return errs;
}

export const clusterroles: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  resource: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  schema: clusterRole,
  nameRule: 'path-segment',
  allowCreateOnUpdate: true,
  validate,
  validateUpdate: validate,
};

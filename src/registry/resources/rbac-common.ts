// What the four RBAC resources share: PolicyRule validation, binding defaults and validation
// (pkg/apis/rbac/v1/defaults.go, pkg/apis/rbac/validation/validation.go) and the binding tables
// (printRoleBinding, printClusterRoleBinding).
import { invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { isObject, type KubeObject } from '../../api/meta.js';
import { validateName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { TableDef } from '../resource.js';
import { goStringStruct } from './go-values.js';
import { age } from '../../api/duration.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SERVICE_ACCOUNT = 'ServiceAccount';
const USER = 'User';
const GROUP = 'Group';

type Obj = Record<string, unknown>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).map(String);
const text = (o: Obj, key: string): string => (typeof o[key] === 'string' ? (o[key] as string) : '');
const objects = (v: unknown): Obj[] => list(v).map((x) => (isObject(x) ? x : {}));

/** ValidateRBACName: the name rule of roles, bindings and the roles they reference. */
export const rbacNameErrors = (name: string): string[] => validateName(name, 'path-segment', false);

// ---- PolicyRule ----

/** ValidatePolicyRule for each of `rules`. */
export function validatePolicyRules(rules: unknown, namespaced: boolean): FieldError[] {
  return objects(rules).flatMap((rule, i) => {
    const path = `rules[${i}]`;
    const errs: FieldError[] = [];
    if (strings(rule.verbs).length === 0) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
    if (strings(rule.nonResourceURLs).length > 0) {
      const urls = strings(rule.nonResourceURLs);
      if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (strings(rule.apiGroups).length || strings(rule.resources).length || strings(rule.resourceNames).length) {
        errs.push(invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return errs;
    }
    if (strings(rule.apiGroups).length === 0) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
    if (strings(rule.resources).length === 0) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
    return errs;
  });
}

// ---- bindings ----

/** SetDefaults_RoleBinding / _ClusterRoleBinding and SetDefaults_Subject. */
export function defaultBinding(o: KubeObject): void {
  if (!isObject(o.roleRef)) o.roleRef = {};
  const ref = o.roleRef as Obj;
  if (!ref.apiGroup) ref.apiGroup = RBAC_GROUP;
  for (const subject of list(o.subjects)) {
    if (!isObject(subject) || subject.apiGroup) continue;
    // ServiceAccounts default to "" (the core group), which the JSON form leaves out.
    if (subject.kind === USER || subject.kind === GROUP) subject.apiGroup = RBAC_GROUP;
  }
}

/** ValidateRoleBindingSubject. */
function validateSubject(subject: Obj, namespaced: boolean, path: string): FieldError[] {
  const name = text(subject, 'name');
  const apiGroup = text(subject, 'apiGroup');
  const errs: FieldError[] = name ? [] : [required(`${path}.name`)];
  switch (subject.kind) {
    case SERVICE_ACCOUNT:
      if (name) for (const msg of validateName(name, 'subdomain', false)) errs.push(invalid(`${path}.name`, name, msg));
      if (apiGroup) errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !text(subject, 'namespace')) errs.push(required(`${path}.namespace`));
      break;
    case USER:
    case GROUP:
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, text(subject, 'kind'), [SERVICE_ACCOUNT, USER, GROUP]));
  }
  return errs;
}

/** ValidateRoleBinding / ValidateClusterRoleBinding (without ObjectMeta, which the store checks). */
export function validateBinding(o: KubeObject, namespaced: boolean): FieldError[] {
  const ref = isObject(o.roleRef) ? o.roleRef : {};
  const errs: FieldError[] = [];
  const apiGroup = text(ref, 'apiGroup');
  if (apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = text(ref, 'kind');
  if (!kinds.includes(kind)) errs.push(notSupported('roleRef.kind', kind, kinds));
  const name = text(ref, 'name');
  if (!name) errs.push(required('roleRef.name'));
  else for (const msg of rbacNameErrors(name)) errs.push(invalid('roleRef.name', name, msg));
  objects(o.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

/** The update rule of both binding kinds: the role a binding grants never changes. */
export function validateRoleRefUnchanged(o: KubeObject, old: KubeObject): FieldError[] {
  const ref = isObject(o.roleRef) ? o.roleRef : {};
  const oldRef = isObject(old.roleRef) ? old.roleRef : {};
  const keys = ['apiGroup', 'kind', 'name'];
  if (keys.every((k) => text(ref, k) === text(oldRef, k))) return [];
  const shown = goStringStruct('rbac.RoleRef', [['APIGroup', text(ref, 'apiGroup')], ['Kind', text(ref, 'kind')], ['Name', text(ref, 'name')]], ref);
  return [invalid('roleRef', shown, 'cannot change roleRef')];
}

/** SubjectsStrings: users, groups and service accounts ("namespace/name"). */
export function subjectsStrings(o: KubeObject): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of objects(o.subjects)) {
    if (s.kind === SERVICE_ACCOUNT) sas.push(`${text(s, 'namespace')}/${text(s, 'name')}`);
    else if (s.kind === USER) users.push(text(s, 'name'));
    else if (s.kind === GROUP) groups.push(text(s, 'name'));
  }
  return [users, groups, sas];
}

/** The RoleBinding and ClusterRoleBinding table; `what` is "roleBinding" or "clusterRoleBinding". */
export function bindingTable(what: string, roleDescription: string): TableDef {
  return {
    columns: [
      nameColumn,
      column('Role', roleDescription),
      ageColumn,
      column('Users', `Users in the ${what}`, { priority: 1 }),
      column('Groups', `Groups in the ${what}`, { priority: 1 }),
      column('ServiceAccounts', `ServiceAccounts in the ${what}`, { priority: 1 }),
    ],
    cells(o, now) {
      const ref = isObject(o.roleRef) ? o.roleRef : {};
      const [users, groups, sas] = subjectsStrings(o);
      return [o.metadata.name, `${text(ref, 'kind')}/${text(ref, 'name')}`, age(o.metadata.creationTimestamp, now), users.join(', '), groups.join(', '), sas.join(', ')];
    },
  };
}

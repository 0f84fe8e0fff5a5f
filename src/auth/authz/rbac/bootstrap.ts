// The bootstrap policy at every start (pkg/registry/rbac/rest/storage_rbac.go): create the default
// roles and bindings, and add what is missing to existing ones, unless they are marked
// rbac.authorization.kubernetes.io/autoupdate: "false".
import { deepEqual, type KubeObject } from '../../../api/meta.js';
import { R, type Client, type ResourceRef } from '../../../client/client.js';
import { AUTOUPDATE_ANNOTATION, clusterRoleBindings, clusterRoles, namespacedRoleBindings, namespacedRoles } from './bootstrap-policy.js';
import { isNotFound } from '../../../api/errors.js';

type Merge = (current: KubeObject, wanted: KubeObject) => KubeObject | undefined;

/** Adds the wanted rules a role lacks (and its aggregation rule); undefined when nothing is missing. */
const mergeRole: Merge = (current, wanted) => {
  const rules = [...((current.rules as unknown[]) ?? [])];
  for (const r of (wanted.rules as unknown[]) ?? []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
  const changed = rules.length !== ((current.rules as unknown[]) ?? []).length || (wanted.aggregationRule && !current.aggregationRule);
  if (!changed) return undefined;
  return { ...current, rules, ...(wanted.aggregationRule && !current.aggregationRule ? { aggregationRule: wanted.aggregationRule } : {}) };
};

/** Adds the wanted subjects a binding lacks; undefined when nothing is missing. */
const mergeBinding: Merge = (current, wanted) => {
  const subjects = [...((current.subjects as unknown[]) ?? [])];
  for (const s of (wanted.subjects as unknown[]) ?? []) if (!subjects.some((x) => deepEqual(x, s))) subjects.push(s);
  return subjects.length === ((current.subjects as unknown[]) ?? []).length ? undefined : { ...current, subjects };
};

/** Another server starting at once may write the same object first (409): reconcile against what it wrote. */
async function reconcile(client: Client, ref: ResourceRef, wanted: KubeObject, merge: Merge): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await reconcileOnce(client, ref, wanted, merge);
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= 5) throw err;
    }
  }
}

async function reconcileOnce(client: Client, ref: ResourceRef, wanted: KubeObject, merge: Merge): Promise<void> {
  const ns = wanted.metadata.namespace ?? '';
  let current: KubeObject;
  try {
    current = await client.get(ref, ns, wanted.metadata.name!);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await client.create(ref, ns, wanted);
    return;
  }
  if (current.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return;
  const merged = merge(current, wanted);
  if (merged) await client.update(ref, ns, merged);
}

/** Roles, then bindings; the objects of one kind at once, so their writes share commits. */
export async function reconcileBootstrapPolicy(client: Client): Promise<void> {
  await Promise.all(clusterRoles().map((o) => reconcile(client, R.clusterroles, o, mergeRole)));
  await Promise.all(clusterRoleBindings().map((o) => reconcile(client, R.clusterrolebindings, o, mergeBinding)));
  await Promise.all(namespacedRoles().map((o) => reconcile(client, R.roles, o, mergeRole)));
  await Promise.all(namespacedRoleBindings().map((o) => reconcile(client, R.rolebindings, o, mergeBinding)));
}

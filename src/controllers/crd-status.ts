// The status of CustomResourceDefinitions, as the apiextensions-apiserver's naming, establishing
// and API approval controllers keep it (AE pkg/controller/status/naming_controller.go,
// pkg/controller/establish/, pkg/controller/apiapproval/): the names a definition asks for are
// accepted unless another definition of its group holds them; once they are, it is Established
// (at once: one server); a protected group's approval is a condition.
import type { CustomResourceDefinitionNames } from 'kubernetes-types/apiextensions/v1.js';
import { apiApprovalState, findCrdCondition, isProtectedCommunityGroup, setCrdCondition, type CrdCondition, type CustomResourceDefinition } from '../api/crd.js';
import { aggregateText } from '../api/aggregate.js';
import type { Clock } from '../api/clock.js';
import { isNotFound } from '../api/errors.js';
import { deepEqual, formatTime } from '../api/meta.js';
import { ref, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';

export const CRDS = ref<CustomResourceDefinition>('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');

/** equalToAcceptedOrFresh: a name is ours already, or no one else's. */
const conflict = (requested: string, accepted: string, used: Set<string>) => (requested !== accepted && used.has(requested) ? `"${requested}" is already in use` : undefined);

/**
 * calculateNamesAndConditions: the names accepted now, and the NamesAccepted and Established
 * conditions. `all` is every definition known (this one's own accepted names count, as upstream's).
 */
export function namesAndConditions(crd: CustomResourceDefinition, all: CustomResourceDefinition[]): { names: CustomResourceDefinitionNames; accepted: CrdCondition; established: CrdCondition } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of all) {
    if (o.spec?.group !== crd.spec?.group) continue;
    const a = o.status?.acceptedNames;
    for (const n of [a?.plural, a?.singular, ...(a?.shortNames ?? [])]) if (n) resources.add(n);
    for (const n of [a?.kind, a?.listKind]) if (n) kinds.add(n);
  }
  const requested = crd.spec?.names ?? { plural: '', kind: '' };
  const current = crd.status?.acceptedNames ?? { plural: '', kind: '' };
  const names: CustomResourceDefinitionNames = { ...current };
  let accepted: CrdCondition | undefined;
  const fail = (reason: string, message: string) => void (accepted = { type: 'NamesAccepted', status: 'False', reason, message });
  const check = (key: 'plural' | 'singular' | 'kind' | 'listKind', used: Set<string>, reason: string) => {
    const err = conflict(requested[key] ?? '', current[key] ?? '', used);
    if (err) fail(reason, err);
    else names[key] = requested[key] ?? '';
  };
  check('plural', resources, 'PluralConflict');
  check('singular', resources, 'SingularConflict');
  if (!deepEqual(requested.shortNames ?? [], current.shortNames ?? [])) {
    const mine = new Set(current.shortNames ?? []);
    const errs = (requested.shortNames ?? []).filter((s) => !mine.has(s)).flatMap((s) => conflict(s, '', resources) ?? []);
    if (errs.length) fail('ShortNamesConflict', aggregateText(errs));
    else names.shortNames = requested.shortNames;
  }
  check('kind', kinds, 'KindConflict');
  check('listKind', kinds, 'ListKindConflict');
  names.categories = requested.categories;
  if (!names.shortNames?.length) delete names.shortNames;
  if (!names.categories?.length) delete names.categories;
  accepted ??= { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
  let established: CrdCondition = findCrdCondition(crd, 'Established') ?? { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
  if (established.status !== 'True' && accepted.status === 'True') {
    // The establishing controller's step follows at once: one server serves the resource.
    established = { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
  }
  return { names, accepted, established };
}

/** The KubernetesAPIApprovalPolicyConformant condition of a protected group's definition. */
export function approvalCondition(crd: CustomResourceDefinition): CrdCondition | undefined {
  if (!isProtectedCommunityGroup(crd.spec?.group ?? '')) return undefined;
  const { state, reason } = apiApprovalState(crd.metadata.annotations);
  const type = 'KubernetesAPIApprovalPolicyConformant';
  if (state === 'Approved') return { type, status: 'True', reason: 'ApprovedAnnotation', message: reason };
  return { type, status: 'False', reason: state === 'Bypassed' ? 'UnapprovedAnnotation' : `${state}Annotation`, message: reason };
}

export function crdStatusController({ client, informers, clock }: { client: Client; informers: InformerFactory; clock: Clock }) {
  const informer = informers.forResource(CRDS);
  const queue = new WorkQueue('crd-status', reconcile);

  async function reconcile(name: string): Promise<void> {
    const cached = informer.get('', name);
    if (!cached) return;
    const crd = structuredClone(cached) as CustomResourceDefinition;
    const { names, accepted, established } = namesAndConditions(cached, informer.list());
    const now = formatTime(clock.now());
    crd.status = { ...crd.status!, acceptedNames: names };
    setCrdCondition(crd, accepted, now);
    setCrdCondition(crd, established, now);
    const approval = approvalCondition(crd);
    if (approval) setCrdCondition(crd, approval, now);
    if (deepEqual(crd.status, cached.status)) return;
    try {
      await client.update(CRDS, '', crd, 'status');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    // Names this one gave up or took may decide another definition of the group.
    for (const o of informer.list()) if (o.metadata.name !== name && o.spec?.group === cached.spec?.group) queue.add(o.metadata.name!);
  }

  const enqueueGroup = (crd: CustomResourceDefinition) => {
    for (const o of informer.list()) if (o.spec?.group === crd.spec?.group) queue.add(o.metadata.name!);
  };
  return {
    async start() {
      informers.start();
      await informer.waitForSync();
      informer.on({ add: (o) => queue.add(o.metadata.name!), update: (_, o) => queue.add(o.metadata.name!), delete: enqueueGroup });
    },
    stop: () => queue.stop(),
  };
}

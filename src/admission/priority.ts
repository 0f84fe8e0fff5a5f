// Priority admission (plugin/pkg/admission/priority): a new pod gets the integer priority and the
// preemption policy of the PriorityClass it names (of the global default when it names none; 0
// and PreemptLowerPriority without one), an update keeps them; a PriorityClass may only be the
// global default while no other class is.
import { forbidden, isNotFound } from '../api/errors.js';
import type { PriorityClass } from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import { PREEMPT_LOWER_PRIORITY } from '../api/priority-classes.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import { resourceName, type AdmissionAttributes, type AdmissionPlugin } from './chain.js';

type Obj = Record<string, unknown>;

const specOf = (o: KubeObject | undefined): Obj => ((o?.spec ?? {}) as Obj);

export interface PriorityAdmission extends AdmissionPlugin {
  /** Reads PriorityClasses through the shared informers from now on (a named class live when they lack it). */
  start(informers: InformerFactory): Promise<void>;
}

/** `client` reads PriorityClasses as the API server itself. */
export function priorityAdmission(client: Client): PriorityAdmission {
  let classes: SharedInformer<PriorityClass> | undefined;
  const deny = (a: AdmissionAttributes, why: string) => forbidden({ group: a.resource.group, resource: a.resource.resource }, resourceName(a), why);
  const isMain = (a: AdmissionAttributes, group: string, resource: string) => !a.subresource && a.resource.group === group && a.resource.resource === resource && !!a.object;

  /** getDefaultPriorityClass: of the classes marked globalDefault, the one with the lowest value. */
  async function defaultClass(): Promise<PriorityClass | undefined> {
    const items = classes ? classes.list() : (await client.list(R.priorityclasses, '')).items;
    return items.filter((pc) => pc.globalDefault).reduce<PriorityClass | undefined>((low, pc) => (low && low.value <= pc.value ? low : pc), undefined);
  }

  /** The class a new pod names, or the default's: its name, value and preemption policy. */
  async function classFor(a: AdmissionAttributes, className: string): Promise<{ name: string; value: number; policy?: string }> {
    if (!className) {
      const pc = await defaultClass();
      return pc ? { name: pc.metadata.name!, value: pc.value, policy: pc.preemptionPolicy } : { name: '', value: 0, policy: PREEMPT_LOWER_PRIORITY };
    }
    try {
      const pc = classes?.get('', className) ?? (await client.get(R.priorityclasses, '', className));
      return { name: className, value: pc.value, policy: pc.preemptionPolicy };
    } catch (err) {
      if (isNotFound(err)) throw deny(a, `no PriorityClass with name ${className} was found`);
      throw err;
    }
  }

  async function admitPod(a: AdmissionAttributes): Promise<void> {
    const spec = specOf(a.object);
    if (a.operation === 'UPDATE') {
      // Validation refuses any other change of these: an update that leaves them out keeps them.
      const old = specOf(a.oldObject);
      for (const key of ['priority', 'preemptionPolicy']) if (spec[key] === undefined && old[key] !== undefined) spec[key] = old[key];
      return;
    }
    const pc = await classFor(a, typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '');
    if (!spec.priorityClassName && pc.name) spec.priorityClassName = pc.name;
    if (spec.priority !== undefined && spec.priority !== pc.value) {
      throw deny(a, `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${pc.value} from the given PriorityClass name`);
    }
    spec.priority = pc.value;
    if (pc.policy === undefined) return;
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== pc.policy) {
      throw deny(a, `the string value of PreemptionPolicy (${String(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed ${pc.policy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = pc.policy;
  }

  return {
    name: 'Priority',
    async start(informers) {
      classes = informers.forResource(R.priorityclasses);
      informers.start();
      await classes.waitForSync();
    },
    async admit(a) {
      if ((a.operation === 'CREATE' || a.operation === 'UPDATE') && isMain(a, '', 'pods')) await admitPod(a);
    },
    async validate(a) {
      if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !isMain(a, 'scheduling.k8s.io', 'priorityclasses') || a.object!.globalDefault !== true) return;
      const current = await defaultClass();
      if (current && (a.operation === 'CREATE' || current.metadata.name !== a.object!.metadata.name)) {
        throw deny(a, `PriorityClass ${current.metadata.name} is already marked as default. Only one default can exist`);
      }
    },
  };
}

// DefaultIngressClass admission (plugin/pkg/admission/network/defaultingressclass): a new Ingress
// that names no class, by spec.ingressClassName or the kubernetes.io/ingress.class annotation, gets
// the default IngressClass, the one annotated ingressclass.kubernetes.io/is-default-class: "true"
// (of several, the newest; of those made the same second, the first by name). Once started, the
// classes are listed from the shared informer, as upstream lists its lister: a default class the
// informer has not seen yet is not given (the Ingress keeps no class), as upstream.
import type { IngressClass } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import type { AdmissionPlugin } from './chain.js';
import { newestDefault } from '../api/storage-classes.js';

const IS_DEFAULT = 'ingressclass.kubernetes.io/is-default-class';

export interface DefaultIngressClassAdmission extends AdmissionPlugin {
  /** Lists IngressClasses from the shared informers from now on. */
  start(informers: InformerFactory): Promise<void>;
}

/** `client` reads IngressClasses as the API server itself until `start`. */
export function defaultIngressClass(client: Client): DefaultIngressClassAdmission {
  let classes: SharedInformer<IngressClass> | undefined;
  async function defaultClass(): Promise<IngressClass | undefined> {
    const items = classes ? classes.list() : (await client.list(R.ingressclasses, '')).items;
    return newestDefault(items, (c) => c.metadata.annotations?.[IS_DEFAULT] === 'true');
  }

  return {
    name: 'DefaultIngressClass',
    async start(informers) {
      classes = informers.forResource(R.ingressclasses);
      informers.start();
      await classes.waitForSync();
    },
    async admit(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== 'networking.k8s.io' || a.resource.resource !== 'ingresses' || !a.object) return;
      const spec = (a.object.spec ??= {}) as Record<string, unknown>;
      if (spec.ingressClassName !== undefined || a.object.metadata.annotations?.['kubernetes.io/ingress.class'] !== undefined) return;
      const name = (await defaultClass())?.metadata.name;
      if (name) spec.ingressClassName = name;
    },
  };
}

// Admission: plugins that may change (admit) and then check (validate) an object on its way to
// storage, in a fixed order. They run inside the store's create, update and delete.
import type { KubeObject } from '../api/meta.js';
import type { OpContext } from '../api/operations.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** What admission knows of the resource a request writes. */
export interface AdmissionResource {
  group: string;
  resource: string;
  namespaced: boolean;
  /** The version and kind the request is served as (request.kind of admission policies). */
  version?: string;
  kind?: string;
}

export interface AdmissionAttributes {
  operation: Operation;
  resource: AdmissionResource;
  subresource: string;
  namespace: string;
  name: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  ctx: OpContext;
  dryRun: boolean;
  /** The resource's defaulting, applied again to an object admission replaced (a webhook's patch), as the decoder does. */
  defaults?: (o: KubeObject) => void;
}

/** The name admission errors show: the object's name, else its generateName (admission.extractResourceName). */
export function resourceName(a: AdmissionAttributes): string {
  return a.name || a.object?.metadata.name || a.object?.metadata.generateName || 'Unknown';
}

/** Records an audit annotation where a future audit log reads it (the request's context); the first value of a key wins. */
export function annotate(a: AdmissionAttributes, key: string, value: string): void {
  const annotations = (a.ctx.auditAnnotations ??= {});
  if (!(key in annotations)) annotations[key] = value;
}

export interface AdmissionPlugin {
  name: string;
  /** Mutating phase: may change `object`. */
  admit?(a: AdmissionAttributes): Promise<void>;
  /** Validating phase: may only reject. */
  validate?(a: AdmissionAttributes): Promise<void>;
}

export class AdmissionChain {
  private readonly plugins: AdmissionPlugin[] = [];

  /** Adds plugins at the end of the chain (plugins need the registry, which needs the chain). */
  use(...plugins: AdmissionPlugin[]): void {
    this.plugins.push(...plugins);
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(a);
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(a);
  }
}

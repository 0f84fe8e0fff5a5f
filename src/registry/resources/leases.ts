// coordination.k8s.io/v1 Lease: a lock held by one identity at a time (leader election, node
// heartbeats). Updates must name the resourceVersion they replace.
import { forbidden, invalid, notSupported, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { isQualifiedName } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { lease } from '../schemas/coordination.js';
import { age } from '../../api/duration.js';
import { specOf } from '../narrow.js';

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  strategy?: string;
  preferredHolder?: string;
}

const STRATEGIES = ['OldestEmulationVersion'];


/** ValidateLeaseSpec */
function validateLease(o: KubeObject): FieldError[] {
  const s = specOf<LeaseSpec>(o);
  const errs: FieldError[] = [];
  if (s.leaseDurationSeconds !== undefined && s.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (s.leaseTransitions !== undefined && s.leaseTransitions < 0) {
    errs.push(invalid('spec.leaseTransitions', s.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (s.strategy !== undefined) {
    // ValidateCoordinatedLeaseStrategy appends "strategy" to a path that already ends in it.
    const path = 'spec.strategy.strategy';
    if (s.strategy.split('/').length === 1) {
      if (!STRATEGIES.includes(s.strategy)) errs.push(notSupported(path, s.strategy, STRATEGIES));
    } else {
      for (const msg of isQualifiedName(s.strategy)) errs.push(invalid(path, s.strategy, msg));
    }
  }
  if (s.preferredHolder && !s.strategy) errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return errs;
}

/**
 * strategy and preferredHolder belong to CoordinatedLeaderElection, an alpha feature that is off
 * in 1.32: new values are dropped, values already stored are kept.
 */
function dropDisabledFields(o: KubeObject, old?: KubeObject): void {
  const s = specOf<LeaseSpec>(o);
  const prev = old ? specOf<LeaseSpec>(old) : {};
  if (prev.strategy === undefined) delete s.strategy;
  if (prev.preferredHolder === undefined) delete s.preferredHolder;
}

export const leases: ResourceDef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  resource: 'leases',
  singular: 'lease',
  namespaced: true,
  schema: lease,
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: false,
  prepareForCreate: (o) => dropDisabledFields(o),
  prepareForUpdate: dropDisabledFields,
  validate: validateLease,
  validateUpdate: validateLease,
  table: {
    columns: [nameColumn, column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn],
    cells: (o, now) => [o.metadata.name, specOf<LeaseSpec>(o).holderIdentity ?? '', age(o.metadata.creationTimestamp, now)],
  },
};

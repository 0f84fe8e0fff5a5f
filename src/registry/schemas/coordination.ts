// coordination.k8s.io/v1 Lease (k8s.io/api/coordination/v1), as served by Kubernetes 1.32.
import { described, int32, obj, pb, ptr, str, time } from '../../api/schema.js';
import { kind } from './meta.js';

const COORDINATION = 'io.k8s.api.coordination.v1';

export const leaseSpec = obj(`${COORDINATION}.LeaseSpec`, 'The holder and timing of a Lease.', {
  acquireTime: pb(3, ptr(time('When the current holder acquired the lease (microsecond precision).'))),
  holderIdentity: pb(1, ptr(str('Identity of the current holder; with coordinated leader election, the name of the elected LeaseCandidate.'))),
  leaseDurationSeconds: pb(2, ptr(int32('Seconds candidates must wait after the last renewTime before they may take the lease.'))),
  leaseTransitions: pb(5, ptr(int32('How many times the lease has passed from one holder to another.'))),
  preferredHolder: pb(7, ptr(str('A better holder the current one should hand the lease to; only with strategy set.'))),
  renewTime: pb(4, ptr(time('When the current holder last renewed the lease (microsecond precision).'))),
  strategy: pb(6, ptr(str('How coordinated leader election picks the holder; unset means no coordination (alpha, CoordinatedLeaderElection).'))),
});

export const lease = kind('coordination.k8s.io', 'v1', 'Lease', COORDINATION, 'A lease, held by one identity at a time.', {
  spec: pb(2, described('Holder and timing of the Lease.', leaseSpec)),
});

// A time the node writes as unset. Go writes a zero metav1.Time as null (a condition's
// lastProbeTime, the startedAt of a container that never started, an Event's eventTime), and
// the node writes the same; kubernetes-types types a Time as a string only.
import type { Time } from 'kubernetes-types/meta/v1.js';

export const ZERO_TIME = null as unknown as Time;

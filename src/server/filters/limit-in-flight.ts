// At most so many requests at once (kube-apiserver's --max-requests-inflight and
// --max-mutating-requests-inflight, WithMaxInFlightLimit): past the limit, 429 with Retry-After.
// Long-running requests are not counted; system:masters is never refused.
import { SYSTEM_MASTERS } from '../../api/user.js';
import type { Filter } from '../context.js';
import { isLongRunning, requestKind } from '../request-info.js';
import { writeText } from '../respond.js';

export interface InFlightLimits {
  /** Requests that read (get, list); 0 for no limit. */
  readOnly: number;
  /** Requests that write; 0 for no limit. */
  mutating: number;
}


export function limitInFlight(limits: InFlightLimits): Filter {
  const inFlight = { readOnly: 0, mutating: 0 };
  return async (rc, next) => {
    if (isLongRunning(rc.info)) return next();
    const kind = requestKind(rc.info);
    const limit = limits[kind];
    if (!limit) return next();
    if (inFlight[kind] >= limit) {
      if (rc.user?.groups.includes(SYSTEM_MASTERS)) return next();
      rc.res.setHeader('Retry-After', '1');
      return writeText(rc.res, 429, 'Too many requests, please try again later.\n');
    }
    inFlight[kind]++;
    try {
      await next();
    } finally {
      inFlight[kind]--;
    }
  };
}

// The deadline of a request (kube-apiserver's WithRequestDeadline and
// WithTimeoutForNonLongRunningRequests): --request-timeout, or a shorter `?timeout=`. Past it the
// reply is the 504 Status; what the handler writes later is dropped (see writeJson).
import { ApiError, badRequest } from '../../api/errors.js';
import { parseDuration } from '../../api/duration.js';
import type { Filter } from '../context.js';
import { isLongRunning } from '../request-info.js';

const timedOut = () => new ApiError(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded', {});

/** The deadline in ms: the requested timeout when it is shorter than the server's. */
function deadlineMs(requested: string | null, maximumMs: number): number {
  if (!requested) return maximumMs;
  let seconds: number;
  try {
    seconds = parseDuration(requested);
  } catch (err) {
    throw badRequest(`invalid timeout specified in the request URL - ${(err as Error).message}`);
  }
  return seconds > 0 && seconds * 1000 < maximumMs ? seconds * 1000 : maximumMs;
}

export function requestTimeout(maximumMs: number): Filter {
  return async (rc, next) => {
    if (isLongRunning(rc.info)) return next();
    const ms = deadlineMs(rc.url.searchParams.get('timeout'), maximumMs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, ms, 'timeout')));
    const work = next();
    try {
      if ((await Promise.race([work, deadline])) !== 'timeout') return;
    } finally {
      clearTimeout(timer);
    }
    // The handler goes on; its outcome no longer has anywhere to go.
    work.catch(() => undefined);
    throw timedOut();
  };
}

// Long work on the request path is cut into steps, letting other requests in between.

/** Lets the event loop serve what is waiting (I/O included) before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How long a step of request work may hold the event loop, at most, about. */
export const TURN_MS = 10;

/** A loop's turns by time: `due()` once `ms` have passed since the last `next()` (or the start). */
export interface Turns {
  due(): boolean;
  /** Yields to the event loop; the next turn starts after it. */
  next(): Promise<void>;
}

/**
 * Turns by time, for loops whose steps cost what the client chose (a selector of thousands of
 * terms, thousands of impersonated groups), so that no step count bounds them.
 */
export function turns(ms = TURN_MS, now: () => number = () => performance.now()): Turns {
  let since = now();
  return {
    due: () => now() - since >= ms,
    next: () => yieldToEventLoop().then(() => void (since = now())),
  };
}

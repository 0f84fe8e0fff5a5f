// The walks of field management are generators that pause every so many steps, so that a large
// object (a 3 MiB ConfigMap, 30,000 finalizers) lets other requests in between, as the rest of the
// request path does (docs/ARCHITECTURE.md, "What one request may cost"); OpenAPI documents are built
// in such steps too. Small objects never pause.
import { yieldToEventLoop } from '../../api/event-loop.js';

export type Steps<T> = Generator<void, T, void>;

/** Steps between pauses: about a millisecond of walking. */
const STEPS = 2000;
let left = STEPS;
/** Steps counted since the process started. */
let counted = 0;

/** Whether the walk should pause now (`if (due()) yield;`). */
export function due(): boolean {
  counted++;
  if (--left > 0) return false;
  left = STEPS;
  return true;
}

/** A mark to measure a walk by (`large(mark)`). */
export const mark = (): number => counted;

/**
 * Whether the walks since `from` were large: then the set operations that follow them (sorting
 * and merging whole levels, no pauses of their own) get a turn of the event loop first.
 */
export const large = (from: number): boolean => counted - from > STEPS;

/** Runs a walk to its end, with a turn of the event loop at each pause. */
export async function run<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await yieldToEventLoop();
  }
}

/** Runs a walk to its end at once (tests, and walks known to be small). */
export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

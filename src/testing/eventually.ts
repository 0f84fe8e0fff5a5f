// For tests: wait until a check passes, for things that happen asynchronously (controllers, the
// node agent, watches).

/**
 * Calls `check` every `everyMs` until it returns something truthy, which it returns; a check that
 * throws is tried again. After `ms` it fails, naming `what` and the last error.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 8000, everyMs = 50): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// Long work on the request path is cut into steps, letting other requests in between.

/** Lets the event loop serve what is waiting (I/O included) before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

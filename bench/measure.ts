// Measuring: run a function for a while and report operations per second, with a progress line.

export interface Rate {
  opsPerSec: number;
  iterations: number;
  ms: number;
}

/** Calls `fn` in batches until `ms` have passed (after a short warm-up); returns its rate. */
export async function rate(fn: () => unknown | Promise<unknown>, ms = 1000, batch = 100): Promise<Rate> {
  const warmUntil = performance.now() + Math.min(200, ms / 5);
  while (performance.now() < warmUntil) for (let i = 0; i < batch; i++) await fn();
  let iterations = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) await fn();
    iterations += batch;
    now = performance.now();
  }
  return { opsPerSec: (iterations * 1000) / (now - start), iterations, ms: now - start };
}

export function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else process.stderr.write(`${text}\n`);
}

export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

/** The middle value (the upper one of an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

// Compacts storage history the way kube-apiserver does: every interval, up to the revision seen
// one interval earlier, so watches have at least one interval of history to resume from.
import type { Storage } from '../storage/storage.js';

export function startCompactor(storage: Storage, intervalMs: number): { stop(): void } {
  if (intervalMs <= 0) return { stop() {} };
  let previous = 0;
  const timer = setInterval(() => {
    void (async () => {
      if (previous > 0) await storage.compact(previous);
      previous = await storage.currentRevision();
    })().catch((err) => console.error('badge: compaction failed:', err));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

// Compaction on etcd as kube-apiserver does it (apiserver storage/etcd3/compact.go), so several
// Badge servers, and kube-apiservers, on one etcd compact once per interval between them: the
// raw key `compact_rev_key` (no --etcd-prefix) holds the last compacted revision and its etcd
// version is a logical clock. Every interval each server tries
//   Txn If(version(compact_rev_key) == its clock) Then Put(compact_rev_key, rev) Else Get(compact_rev_key)
// with `rev` the revision it saw one interval earlier: the one that wins compacts up to `rev`;
// the others take the clock and try again next interval. The first round never compacts.
import type { EtcdStorage } from './etcd-storage.js';

export const COMPACT_REV_KEY = 'compact_rev_key';

export interface CompactorState {
  /** The version of compact_rev_key this server last saw. */
  clock: number;
  /** The revision seen at the last round, compacted at the next. */
  revision: number;
}

/** One round; the state for the next. */
export async function compactRound(storage: EtcdStorage, state: CompactorState): Promise<CompactorState> {
  const key = Buffer.from(COMPACT_REV_KEY);
  const res = await storage.call(() =>
    storage.client.kv.txn({
      compare: [{ key, target: 'Version', result: 'Equal', version: state.clock }],
      success: [{ request_put: { key, value: Buffer.from(String(state.revision)) } }],
      failure: [{ request_range: { key } }],
    }),
  );
  const current = Number(res.header.revision);
  if (!res.succeeded) {
    const kv = res.responses[0]!.response_range.kvs[0]!;
    // Another server compacted (or will) up to its value: reads and watches before it fail.
    storage.compactedElsewhere(Number(kv.value.toString()));
    return { clock: Number(kv.version), revision: current };
  }
  if (state.revision > 0) await storage.compact(state.revision);
  return { clock: state.clock + 1, revision: current };
}

/** Runs a round every interval (0: never). */
export function startEtcdCompactor(storage: EtcdStorage, intervalMs: number): { stop(): void } {
  if (intervalMs <= 0) return { stop() {} };
  let state: CompactorState = { clock: 0, revision: 0 };
  const timer = setInterval(() => {
    compactRound(storage, state).then(
      (next) => (state = next),
      (err) => console.error('badge: etcd compaction failed:', (err as Error).message),
    );
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

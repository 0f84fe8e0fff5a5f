// One Badge watch as one etcd watch stream, on the raw gRPC stream of the `etcd3` client
// (client.watchClient) rather than its Watcher: that one drops the compact_revision of a
// compacted watch and has no progress request. start_revision is the revision after the one the
// watch starts after (a Kubernetes watch is exclusive, etcd's inclusive); prev_kv gives updates
// their previous value and deletes the deleted one; progress_notify gives idle watches progress.
// When the stream breaks (etcd restarted, unreachable) it is opened again from the revision after
// the last event delivered, so the caller sees no gap and no duplicate; a watch whose history
// is gone ends with onEnd(CompactedError).
import type { IKeyValue, IWatchResponse, WatchClient } from 'etcd3';
import { CompactedError, type Watch, type WatchEvent } from '../storage.js';
import type { KeyMap } from './keys.js';

type Stream = Awaited<ReturnType<WatchClient['watch']>>;

/** How long a progress reply of etcd 3.4 waits for the events it may have overtaken. */
const PROGRESS_GRACE_MS = 100;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;

export interface WatchTarget {
  client: WatchClient;
  keys: KeyMap;
  /** The etcd key range [start, end). */
  start: string;
  end: string;
  /** What a compacted watch reports as the oldest revision left, when etcd does not say. */
  compacted: () => number;
  /** A failure to reach etcd, or undefined once it answers again (the health check). */
  reachable: (err?: Error) => void;
}

export function watchRange(t: WatchTarget, after: number, onEvent: (e: WatchEvent) => void, onEnd: (err: Error) => void): Watch {
  let last = after;
  let stream: Stream | undefined;
  let stopped = false;
  let retryMs = RETRY_MIN_MS;
  let retry: NodeJS.Timeout | undefined;
  /** A progress reply not yet known to follow every event up to its revision. */
  let pending: { revision: number; timer: NodeJS.Timeout } | undefined;

  const kv = (k: IKeyValue, modRevision = Number(k.mod_revision)) => ({
    key: t.keys.fromEtcd(k.key.toString()),
    value: k.value.toString(),
    createRevision: Number(k.create_revision),
    modRevision,
  });
  const progress = (revision: number) => {
    if (pending) clearTimeout(pending.timer);
    pending = undefined;
    onEvent({ type: 'progress', revision: Math.max(revision, last) });
  };
  const end = (err: Error) => {
    stop();
    onEnd(err);
  };

  const handle = (res: IWatchResponse) => {
    if (stopped) return;
    t.reachable();
    retryMs = RETRY_MIN_MS;
    if (res.canceled) {
      const compacted = Number(res.compact_revision);
      if (compacted > 0) return end(new CompactedError(last, Math.max(compacted - 1, t.compacted())));
      // Canceled for another reason (etcd lost its leader): watched again from where it was.
      return reopen(new Error(res.cancel_reason || 'the etcd watch was canceled'));
    }
    if (res.created) return;
    if (!res.events.length) {
      const revision = Number(res.header.revision);
      // A requested progress reply (watch_id -1) comes on etcd 3.4 apart from the events, and may
      // overtake them (etcd-io/etcd#15220): it is reported once a later event shows it was not,
      // or after a short grace. etcd's periodic notifications come in order with the events.
      if (res.watch_id !== '-1' || revision <= last) return progress(revision);
      if (!pending) pending = { revision, timer: setTimeout(() => pending && progress(pending.revision), PROGRESS_GRACE_MS) };
      else pending.revision = Math.max(pending.revision, revision);
      return;
    }
    for (const e of res.events) {
      const rev = Number(e.kv.mod_revision);
      if (rev <= last) continue; // already delivered before the stream was opened again
      if (pending && rev > pending.revision) progress(pending.revision);
      last = rev;
      if (e.type === 'Delete') {
        const prev = kv(e.prev_kv);
        onEvent({ type: 'delete', kv: { ...prev, modRevision: rev }, prev });
      } else {
        const created = e.kv.version === '1';
        onEvent(created || !e.prev_kv ? { type: 'put', kv: kv(e.kv) } : { type: 'put', kv: kv(e.kv), prev: kv(e.prev_kv) });
      }
      if (stopped) return;
    }
  };

  const reopen = (err: Error) => {
    if (stopped) return;
    t.reachable(err);
    drop();
    retry = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const open = () => {
    retry = undefined;
    t.client
      .watch()
      .then((s) => {
        if (stopped) return s.cancel();
        stream = s;
        s.on('data', (res) => stream === s && handle(res));
        s.on('error', (err) => stream === s && reopen(err));
        s.on('end', () => stream === s && reopen(new Error('the etcd watch stream ended')));
        s.write({
          create_request: {
            key: Buffer.from(t.start),
            range_end: Buffer.from(t.end),
            start_revision: last + 1,
            prev_kv: true,
            progress_notify: true,
          },
        });
      })
      .catch((err: Error) => reopen(err));
  };

  const stop = () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    if (pending) clearTimeout(pending.timer);
    pending = undefined;
    drop();
  };

  /** Closes the stream; its listeners ignore what it says after this (the cancellation). */
  const drop = () => {
    const s = stream;
    stream = undefined;
    s?.cancel();
  };

  open();
  return {
    requestProgress: () => stream?.write({ progress_request: {} }),
    stop,
  };
}

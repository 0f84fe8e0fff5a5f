// Fan-out of committed writes to watchers. Each watcher has its own queue, delivered in
// revision order on a later turn of the event loop, so a slow consumer never runs inside a write,
// nor in the same turn as the reply to it (decoding a large object for each watcher takes a while).
import type { Watch, WatchEvent } from './storage.js';

interface Watcher {
  prefix: string;
  /** The revision the watch starts after: earlier writes are not its events. */
  after: number;
  queue: WatchEvent[];
  /** The first event of `queue` not yet delivered. */
  next: number;
  scheduled: boolean;
  stopped: boolean;
  onEvent: (e: WatchEvent) => void;
}

export class WatcherSet {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly currentRevision: () => number) {}

  /**
   * Registers a watcher of the writes after `after` whose queue starts with `backlog` (history
   * already read by the caller).
   */
  add(prefix: string, after: number, backlog: WatchEvent[], onEvent: (e: WatchEvent) => void): Watch {
    const w: Watcher = { prefix, after, queue: backlog, next: 0, scheduled: false, stopped: false, onEvent };
    this.watchers.add(w);
    if (backlog.length) this.schedule(w);
    return {
      requestProgress: () => this.push(w, { type: 'progress', revision: this.currentRevision() }),
      stop: () => {
        w.stopped = true;
        w.queue = [];
        w.next = 0;
        this.watchers.delete(w);
      },
    };
  }

  /** Called after each committed write. */
  publish(e: WatchEvent): void {
    if (e.type === 'progress') return;
    for (const w of this.watchers) if (e.kv.modRevision > w.after && e.kv.key.startsWith(w.prefix)) this.push(w, e);
  }

  get size(): number {
    return this.watchers.size;
  }

  stopAll(): void {
    for (const w of this.watchers) w.stopped = true;
    this.watchers.clear();
  }

  private push(w: Watcher, e: WatchEvent): void {
    if (w.stopped) return;
    w.queue.push(e);
    this.schedule(w);
  }

  private schedule(w: Watcher): void {
    if (w.scheduled) return;
    w.scheduled = true;
    setImmediate(() => {
      w.scheduled = false;
      // A watcher that fell behind catches up a slice per turn, not its whole backlog at once.
      const events = w.queue;
      const end = Math.min(events.length, w.next + DELIVERY_SLICE);
      for (; w.next < end; w.next++) {
        if (w.stopped) return;
        w.onEvent(events[w.next]!);
      }
      if (w.next < events.length) this.schedule(w);
      else {
        w.queue = [];
        w.next = 0;
      }
    });
  }
}

/** Events a watcher is handed in one turn of the event loop. */
const DELIVERY_SLICE = 100;

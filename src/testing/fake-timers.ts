// For tests: time that passes only when the test says (the leader election's Timers), moving a
// ManualClock along with it. advance() runs the callbacks that fall due in order, each to its end
// (the promise it returns) and what that set off in the event loop's next turns (a write's watch
// events), so that what they do with the API is done when advance() resolves.
import type { ManualClock } from '../api/clock.js';
import type { Timers } from '../controllers/leader-election.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => unknown;
}

/** A few turns of the event loop: the storage publishes a write's events to watchers in the next ones. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

export class FakeTimers implements Timers {
  private time = 0;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(private readonly clock?: ManualClock) {}

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => unknown): () => void {
    const p = { at: this.time + ms, seq: this.seq++, fn };
    this.pending.push(p);
    return () => {
      this.pending = this.pending.filter((x) => x !== p);
    };
  }

  /** Moves time forward by `ms`, running what falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.moveTo(next.at);
      await next.fn();
      await settle();
    }
    this.moveTo(end);
  }

  private moveTo(t: number): void {
    this.clock?.advance(t - this.time);
    this.time = t;
  }
}

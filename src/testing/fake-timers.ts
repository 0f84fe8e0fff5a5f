// For tests: time that passes only when the test says (the leader election's Timers), moving a
// ManualClock along with it. advance() runs the callbacks that fall due in order, each to its end
// (the promise it returns), so that what they do with the API is done when advance() resolves.
import type { ManualClock } from '../api/clock.js';
import type { Timers } from '../controllers/leader-election.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => unknown;
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
    }
    this.moveTo(end);
  }

  private moveTo(t: number): void {
    this.clock?.advance(t - this.time);
    this.time = t;
  }
}

import { randomBytes, randomUUID } from 'node:crypto';

/** Time and randomness, injectable so tests can move time and fix names. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The longest delay Node's timers take (2^31 − 1 ms, 24.8 days): a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay a timer can take: a longer one (a timeoutSeconds, a deadline or grace period of an
 * object, any int64 the user chose) is cut to MAX_TIMER_MS, when whoever waits looks again.
 */
export const timerDelay = (ms: number): number => Math.min(ms, MAX_TIMER_MS);

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(date: Date): void {
    this.current = date;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Random {
  uuid(): string;
  /** `n` characters from `alphabet`. */
  string(n: number, alphabet: string): string;
}

export const systemRandom: Random = {
  uuid: () => randomUUID(),
  string(n, alphabet) {
    const bytes = randomBytes(n);
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[bytes[i]! % alphabet.length];
    return out;
  },
};

/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits). */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

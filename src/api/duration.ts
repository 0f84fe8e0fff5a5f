// Go durations: parsed as time.ParseDuration reads them ("300ms", "1h30m", "-1.5s", "0"), and
// printed as duration.HumanDuration prints ages and as time.Duration.String prints them.

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const NUMBER = /\d*(?:\.\d*)?/y;
const UNIT = /[^\d.]*/y;

/** A Go duration in seconds; throws time.ParseDuration's errors. */
export function parseDuration(text: string): number {
  const quoted = JSON.stringify(text);
  let s = text;
  const sign = s.startsWith('-') ? -1 : 1;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return 0;
  if (!s) throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  for (let pos = 0; pos < s.length; ) {
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(s)![0];
    if (number === '' || number === '.') throw new Error(`time: invalid duration ${quoted}`);
    UNIT.lastIndex = pos + number.length;
    const unit = UNIT.exec(s)![0];
    if (!unit) throw new Error(`time: missing unit in duration ${quoted}`);
    if (!(unit in UNITS)) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    total += Number(number) * UNITS[unit]!;
    pos = UNIT.lastIndex;
  }
  return sign * total;
}

/** duration.HumanDuration: how kubectl and the server print ages. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The Age cell: time since a timestamp, `<unknown>` without one. */
export function age(timestamp: string | null | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(timestamp));
}

/** Go's time.Duration.String for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}

/** Go's Duration.String of a duration truncated to milliseconds: 0s, 512ms, 1.234s. */
export function goMillis(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  return goDuration(ms);
}

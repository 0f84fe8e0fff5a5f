// Go durations (time.ParseDuration): "300ms", "1h30m", "-1.5s", "0".

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

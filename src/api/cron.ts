// Cron schedules as Kubernetes reads them: robfig/cron v3's standard parser (minute, hour, day of
// month, month, day of week; names jan-dec and sun-sat; `*`, `?`, ranges, steps, lists; the
// @yearly … @hourly and `@every <duration>` descriptors; a TZ= or CRON_TZ= prefix), with its error
// texts. Times are computed on the wall clock of an IANA time zone (the process's when none).

export interface Schedule {
  /** The first activation strictly after `after`; undefined when none comes within five years. */
  next(after: Date): Date | undefined;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const names = (list: string[], first: number) => Object.fromEntries(list.map((n, i) => [n, i + first]));
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: names(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], 1) };
const DOW: Bounds = { min: 0, max: 6, names: names(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 0) };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The values a field allows, and whether it was `*` or `?` (which changes how days match). */
interface Field {
  values: Set<number>;
  star: boolean;
}

class CronError extends Error {}

/** strconv.Atoi, with robfig's messages. */
function parseInt10(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

const intOrName = (expr: string, b: Bounds): number => b.names?.[expr.toLowerCase()] ?? parseInt10(expr);

/** getRange: one element of a comma-separated field. */
function parseRange(expr: string, b: Bounds, into: Field): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = intOrName(lowAndHigh[0]!, b);
    if (lowAndHigh.length > 2) throw new CronError(`too many hyphens: ${expr}`);
    end = lowAndHigh.length === 2 ? intOrName(lowAndHigh[1]!, b) : start;
  }
  let step = 1;
  if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1]!);
    if (lowAndHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.values.add(v);
  into.star ||= star;
}

function parseField(text: string, b: Bounds): Field {
  const f: Field = { values: new Set(), star: false };
  for (const expr of text.split(',').filter((s) => s !== '')) parseRange(expr, b, f);
  return f;
}

// ---- time zones ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string | undefined): Intl.DateTimeFormat {
  const key = zone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(key, f);
  }
  return f;
}

/** Whether Go's time.LoadLocation knows the zone: an IANA name, spelled exactly. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    const resolved = formatter(zone).resolvedOptions().timeZone;
    return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function zoneOffset(instant: number, zone: string | undefined): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** Go's time.RFC3339 of an instant on the zone's wall clock (Z when the offset is zero). */
export function formatRFC3339(instant: Date, zone: string): string {
  const offset = zoneOffset(instant.getTime(), zone);
  const wall = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${wall}${offset < 0 ? '-' : '+'}${hhmm}`;
}

/** The instant a wall-clock time (given as if it were UTC) names in the zone. */
function fromWall(wall: number, zone: string | undefined): number {
  const guess = wall - zoneOffset(wall, zone);
  return wall - zoneOffset(guess, zone);
}

// ---- schedules ----

const FIVE_YEARS = 5;

function specSchedule(minute: Field, hour: Field, dom: Field, month: Field, dow: Field, zone: string | undefined): Schedule {
  const dayMatches = (d: Date) => {
    const domMatch = dom.values.has(d.getUTCDate());
    const dowMatch = dow.values.has(d.getUTCDay());
    return dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
  };
  return {
    next(after) {
      const start = after.getTime();
      const first = start + zoneOffset(start, zone);
      let d = new Date(Math.floor(first / 60_000) * 60_000 + 60_000);
      const limit = d.getUTCFullYear() + FIVE_YEARS;
      while (d.getUTCFullYear() <= limit) {
        const [y, mo, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
        if (!month.values.has(mo + 1)) d = new Date(Date.UTC(y, mo + 1, 1));
        else if (!dayMatches(d)) d = new Date(Date.UTC(y, mo, day + 1));
        else if (!hour.values.has(h)) d = new Date(Date.UTC(y, mo, day, h + 1));
        else if (!minute.values.has(d.getUTCMinutes())) d = new Date(d.getTime() + 60_000);
        else {
          const instant = fromWall(d.getTime(), zone);
          if (instant > start) return new Date(instant);
          d = new Date(d.getTime() + 60_000);
        }
      }
      return undefined;
    },
  };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds. */
function parseDuration(text: string): number {
  const body = text.replace(/^[+-]/, '');
  if (body === '0') return 0;
  const parts = [...body.matchAll(/(\d+\.?\d*|\.\d+)([^\d.]*)/g)];
  if (body === '' || parts.map((p) => p[0]).join('') !== body) throw new CronError(`time: invalid duration ${JSON.stringify(text)}`);
  let ms = 0;
  for (const [, num, unit] of parts) {
    if (unit === '') throw new CronError(`time: missing unit in duration ${JSON.stringify(text)}`);
    const scale = DURATION_UNITS[unit!];
    if (scale === undefined) throw new CronError(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    ms += Number(num) * scale;
  }
  return text.startsWith('-') ? -ms : ms;
}

/** `@every <duration>`: whole seconds, at least one. */
function everySchedule(ms: number): Schedule {
  const delay = Math.max(1000, ms - (ms % 1000));
  return { next: (after) => new Date(after.getTime() - (after.getTime() % 1000) + delay) };
}

/** cron.ParseStandard: the schedule, or robfig's error text. */
export function parseStandard(spec: string, defaultZone?: string): Schedule | string {
  try {
    if (spec === '') throw new CronError('empty spec string');
    let zone = defaultZone;
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const space = spec.indexOf(' ');
      const name = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
      if (!isKnownTimeZone(name)) throw new CronError(`provided bad location ${name}: unknown time zone ${name}`);
      zone = name;
      spec = space < 0 ? '' : spec.slice(space).trim();
    }
    if (spec.startsWith('@')) {
      if (spec.startsWith('@every ')) {
        const text = spec.slice('@every '.length);
        try {
          return everySchedule(parseDuration(text));
        } catch (err) {
          throw new CronError(`failed to parse duration ${spec}: ${(err as Error).message}`);
        }
      }
      const expanded = DESCRIPTORS[spec];
      if (!expanded) throw new CronError(`unrecognized descriptor: ${spec}`);
      spec = expanded;
    }
    const fields = spec.split(/\s+/).filter((s) => s !== '');
    if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
    return specSchedule(parseField(minute, MINUTES), parseField(hour, HOURS), parseField(dom, DOM), parseField(month, MONTHS), parseField(dow, DOW), zone);
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

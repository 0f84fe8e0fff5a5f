import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRFC3339, isKnownTimeZone, parseStandard, type Schedule } from './cron.js';

const parse = (spec: string, zone?: string): Schedule => {
  const s = parseStandard(spec, zone);
  assert.equal(typeof s, 'object', String(s));
  return s as Schedule;
};
const next = (spec: string, after: string, zone = 'UTC') => parse(spec, zone).next(new Date(after))?.toISOString();

describe('cron schedules', () => {
  it("refuses what robfig/cron refuses, with its messages", () => {
    assert.equal(parseStandard('bad'), 'expected exactly 5 fields, found 1: [bad]');
    assert.equal(parseStandard('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
    assert.equal(parseStandard('60 * * * *'), 'end of range (60) above maximum (59): 60');
    assert.equal(parseStandard('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
    assert.equal(parseStandard('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
    assert.equal(parseStandard('*/0 * * * *'), 'step of range should be a positive number: */0');
    assert.equal(parseStandard('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    assert.equal(parseStandard('1-2-3 * * * *'), 'too many hyphens: 1-2-3');
    assert.equal(parseStandard('1/2/3 * * * *'), 'too many slashes: 1/2/3');
    assert.equal(parseStandard('* * * * 7'), 'end of range (7) above maximum (6): 7');
    assert.equal(parseStandard('@often'), 'unrecognized descriptor: @often');
    assert.equal(parseStandard('@every x'), 'failed to parse duration @every x: time: invalid duration "x"');
    assert.equal(parseStandard('TZ=Mars/Base * * * * *'), 'provided bad location Mars/Base: unknown time zone Mars/Base');
  });

  it('finds the next activation on the wall clock of the zone', () => {
    assert.equal(next('*/1 * * * *', '2026-01-01T10:00:00Z'), '2026-01-01T10:01:00.000Z');
    assert.equal(next('*/1 * * * *', '2026-01-01T10:00:30Z'), '2026-01-01T10:01:00.000Z');
    assert.equal(next('30 2 * * *', '2026-01-01T10:00:00Z'), '2026-01-02T02:30:00.000Z');
    assert.equal(next('0 0 * * mon', '2026-01-01T00:00:00Z'), '2026-01-05T00:00:00.000Z');
    assert.equal(next('@monthly', '2026-01-15T00:00:00Z'), '2026-02-01T00:00:00.000Z');
    assert.equal(next('@yearly', '2026-01-15T00:00:00Z'), '2027-01-01T00:00:00.000Z');
    assert.equal(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Asia/Tokyo'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('0 9 * * *', '2026-07-01T00:00:00Z', 'Europe/Berlin'), '2026-07-01T07:00:00.000Z');
    assert.equal(next('TZ=Europe/Berlin 0 9 * * *', '2026-01-01T00:00:00Z'), '2026-01-01T08:00:00.000Z');
    assert.equal(next('@every 90s', '2026-01-01T00:00:00.500Z'), '2026-01-01T00:01:30.000Z');
  });

  it('matches day of month or day of week, both when either is *', () => {
    assert.equal(next('0 0 13 * fri', '2026-01-01T00:00:00Z'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('0 0 13 * *', '2026-01-01T00:00:00Z'), '2026-01-13T00:00:00.000Z');
    assert.equal(next('0 0 31 2 *', '2026-01-01T00:00:00Z'), undefined);
  });

  it('knows time zones as Go does: IANA names, spelled exactly', () => {
    assert.equal(isKnownTimeZone('Europe/Berlin'), true);
    assert.equal(isKnownTimeZone('UTC'), true);
    assert.equal(isKnownTimeZone('Mars/Base'), false);
    assert.equal(isKnownTimeZone('europe/berlin'), false);
  });
});

describe('formatRFC3339', () => {
  it("writes the instant on the zone's wall clock, Z for a zero offset", () => {
    const t = new Date('2026-01-01T10:01:00.250Z');
    assert.equal(formatRFC3339(t, 'UTC'), '2026-01-01T10:01:00Z');
    assert.equal(formatRFC3339(t, 'Europe/Berlin'), '2026-01-01T11:01:00+01:00');
    assert.equal(formatRFC3339(t, 'America/St_Johns'), '2026-01-01T06:31:00-03:30');
  });
});

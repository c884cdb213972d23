import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  calendarPresets,
  calendarSpecSchema,
  compileCalendar,
  expandHolidays,
  getCalendarPreset,
  validateCalendar,
} from '../../../src/domain/calendar/index';

function errorsOf(spec: unknown): Array<{ path: string; message: string }> {
  const r = validateCalendar(spec);
  return r.ok ? [] : r.errors;
}

const weekday = { mon: [{ start: '09:00', end: '17:00' }] };

describe('validateCalendar', () => {
  it('accepts every preset', () => {
    for (const spec of Object.values(calendarPresets)) expect(validateCalendar(spec)).toEqual({ ok: true, calendar: spec });
  });

  it('rejects an unknown zone, bad times and bad dates with paths', () => {
    const errors = errorsOf({
      timeZone: 'Mars/Olympus_Mons',
      weekly: { mon: [{ start: '9:00', end: '17:00' }], tue: [{ start: '08:00', end: '24:30' }], wed: [{ start: '24:00', end: '02:00' }] },
      holidays: [{ date: '2026-02-30' }, { date: '2026-13-01' }, { date: 'tomorrow' }],
    });
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'timeZone',
        'weekly.mon.0.start',
        'weekly.tue.0.end',
        'weekly.wed.0.start',
        'holidays.0.date',
        'holidays.1.date',
        'holidays.2.date',
      ]),
    );
  });

  it('rejects overlapping intervals, including overnight spill into the next day (and Sunday into Monday)', () => {
    expect(
      errorsOf({
        timeZone: 'UTC',
        weekly: {
          mon: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '18:00' },
          ],
        },
      }),
    ).toEqual([{ path: 'weekly.mon.1', message: 'overlaps interval 0 of the same day' }]);
    expect(
      errorsOf({ timeZone: 'UTC', weekly: { mon: [{ start: '22:00', end: '10:00' }], tue: [{ start: '09:00', end: '17:00' }] } }),
    ).toEqual([{ path: 'weekly.mon.0', message: 'runs past midnight into an interval of the next day' }]);
    expect(
      errorsOf({ timeZone: 'UTC', weekly: { sun: [{ start: '20:00', end: '09:30' }], mon: [{ start: '09:00', end: '17:00' }] } }),
    ).toHaveLength(1);
    expect(
      errorsOf({
        timeZone: 'UTC',
        weekly: {
          mon: [
            { start: '09:00', end: '13:00' },
            { start: '13:00', end: '18:00' },
          ],
        },
      }),
    ).toEqual([]);
    expect(
      errorsOf({ timeZone: 'UTC', weekly: { mon: [{ start: '22:00', end: '09:00' }], tue: [{ start: '09:00', end: '17:00' }] } }),
    ).toEqual([]);
  });

  it('rejects unknown holiday regions (date-holidays itself would silently accept them)', () => {
    const errors = errorsOf({
      timeZone: 'Europe/Berlin',
      weekly: weekday,
      regionalHolidays: [{ country: 'DE', state: 'BY', region: 'M' }, { country: 'XX' }, { country: 'DE', state: 'ZZ' }],
    });
    expect(errors.map((e) => e.path)).toEqual(['regionalHolidays.0', 'regionalHolidays.1', 'regionalHolidays.2']);
    expect(
      errorsOf({
        timeZone: 'Europe/Berlin',
        weekly: weekday,
        regionalHolidays: [{ country: 'DE', state: 'BY', region: 'KATH' }, { country: 'US' }],
      }),
    ).toEqual([]);
  });

  it('rejects duplicate holidays, unknown fields, empty calendars', () => {
    expect(errorsOf({ timeZone: 'UTC', weekly: weekday, holidays: [{ date: '2026-01-01' }, { date: '2026-01-01' }] })[0]?.path).toBe(
      'holidays.1.date',
    );
    expect(errorsOf({ timeZone: 'UTC', weekly: weekday, weeky: {} })).toHaveLength(1);
    expect(errorsOf({ timeZone: 'UTC' })[0]?.path).toBe('weekly');
    expect(errorsOf({ timeZone: 'UTC', alwaysOpen: true })).toEqual([]);
    expect(errorsOf(null)).toHaveLength(1);
  });

  it('compileCalendar refuses invalid specs; the schema is exported for reuse', () => {
    expect(() => compileCalendar({ timeZone: 'Nowhere/Town', weekly: weekday })).toThrow(/timeZone/);
    expect(calendarSpecSchema.safeParse({ timeZone: 'UTC', alwaysOpen: true }).success).toBe(true);
  });
});

describe('presets and holiday expansion', () => {
  it('looks presets up by id', () => {
    expect(getCalendarPreset('emea-berlin')?.timeZone).toBe('Europe/Berlin');
    expect(getCalendarPreset('toString')).toBeUndefined();
    for (const [id, spec] of Object.entries(calendarPresets)) expect(spec.id).toBe(id);
  });

  it('expands Munich public holidays including Assumption Day; explicit entries win', () => {
    const spec = { ...calendarPresets['emea-berlin']!, holidays: [{ date: '2026-12-24', open: [{ start: '10:00', end: '12:00' }] }] };
    const list = expandHolidays(spec, 2026, 2026);
    const dates = list.map((h) => h.date);
    expect(dates).toEqual([
      '2026-01-01',
      '2026-01-06',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-06-04',
      '2026-08-15',
      '2026-10-03',
      '2026-11-01',
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
    ]);
    expect(list.find((h) => h.date === '2026-12-24')?.open).toHaveLength(1);
  });

  it('an expanded calendar behaves like the regional one', () => {
    const regional = calendarPresets['emea-berlin']!;
    const { regionalHolidays: _drop, ...rest } = regional;
    const frozen = { ...rest, holidays: expandHolidays(regional, 2025, 2028) };
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 11, 1); t += 7_777_777) {
      expect(addBusinessTime(frozen, t, 30 * 3_600_000)).toBe(addBusinessTime(regional, t, 30 * 3_600_000));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { validateCalendar } from '../../src/domain/calendar/index';
import { generateDiffCalendars } from './bh-calendars';
import { businessHoursAvailable, MISSING_MESSAGE, runDriver, type BhCase } from './perl';

const available = businessHoursAvailable();
if (!available && !process.env.CI) console.warn(MISSING_MESSAGE);

const SEED = Number(process.env.CALENDAR_DIFF_SEED ?? 20_260_329);
const CALENDARS = Number(process.env.CALENDAR_DIFF_CALENDARS ?? 400);

describe.skipIf(!available && !process.env.CI)('differential: Business::Hours (Perl, Request Tracker)', () => {
  it('agrees on add_seconds and between for random calendars across zones and DST', async () => {
    expect(available, MISSING_MESSAGE).toBe(true);
    const calendars = generateDiffCalendars(CALENDARS, SEED);
    const byZone = new Map<string, Array<{ bh: BhCase; expected: number; zone: string }>>();
    for (const c of calendars) {
      expect(validateCalendar(c.spec).ok).toBe(true);
      const list = byZone.get(c.spec.timeZone) ?? [];
      list.push(...c.cases.map((k) => ({ ...k, zone: c.spec.timeZone })));
      byZone.set(c.spec.timeZone, list);
    }
    let total = 0;
    const mismatches: unknown[] = [];
    const batches = [...byZone];
    const outputs = await Promise.all(batches.map(([zone, cases]) => runDriver<number>(zone, { cases: cases.map((c) => c.bh) })));
    batches.forEach(([zone, cases], b) => {
      const results = outputs[b] ?? [];
      cases.forEach((c, i) => {
        total++;
        if (results[i] !== c.expected) mismatches.push({ zone, case: c.bh, ours: c.expected, businessHours: results[i] });
      });
    });
    console.info(`Business::Hours differential: ${total} cases on ${calendars.length} calendars, ${mismatches.length} disagreements (seed ${SEED})`);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(total).toBeGreaterThan(3000);
  });
});

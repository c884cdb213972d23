import { pathToFileURL } from 'node:url';
import {
  addBusinessTime,
  compileCalendar,
  expandHolidays,
  getCalendarPreset,
  nextOpen,
  type CalendarSpec,
} from '../src/domain/calendar/index';
import { businessHoursInstalled, perlBench, perlResults, toBusinessHours, type PerlBenchCase } from './lib/business-hours-perl';
import { table, writeResult } from './harness/report';

/**
 * addBusinessTime throughput for 4 h, 40 h and 2,000 h on emea-berlin starting mid-December (Christmas,
 * New Year and Epiphany are closed in Munich), next to Business::Hours (Request Tracker's Perl module)
 * on the same cases in the same run. Goals: >= 50x Business::Hours, and 2,000 h within 3x of 4 h.
 * Business::Hours' add_seconds gives up after 30 days, so its 2,000 h runs as 50 chained 40 h calls
 * (exact: each call returns a business second).
 */

const HOUR = 3_600_000;
const DURATIONS = [
  // perlSample: how many of the starts Business::Hours runs (2,000 h costs it about a second each).
  { label: '4h', hours: 4, perlSample: 24 },
  { label: '40h', hours: 40, perlSample: 24 },
  { label: '2000h', hours: 2000, perlSample: 4 },
];
const TIME_BUDGET_MS = Number(process.env.BENCH_BT_MS ?? 1000);

/** 24 starts between 14 and 23 December 2026 at assorted times of day (open and closed). */
function starts(): number[] {
  return Array.from({ length: 24 }, (_, i) => Date.UTC(2026, 11, 14 + (i % 10), (i * 7) % 24, (i * 13) % 60, (i * 17) % 60));
}

function opsPerSec(run: () => void, minMs: number): number {
  for (let i = 0; i < 1000; i++) run();
  let ops = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 1000; i++) run();
    ops += 1000;
    elapsed = performance.now() - t0;
  }
  return (ops / elapsed) * 1000;
}

export interface BusinessTimeBenchResult {
  rows: Array<{ duration: string; oursOpsPerSec: number; oursColdOpsPerSec: number; perlOpsPerSec: number | null; speedup: number | null }>;
  costRatio2000hVs4h: number;
  agreement: { cases: number; agree: number } | null;
  goals: { speedup50x: boolean | null; span2000hWithin3x: boolean };
}

export async function runBusinessTimeBench(): Promise<BusinessTimeBenchResult> {
  const spec = getCalendarPreset('emea-berlin') as CalendarSpec;
  const cal = compileCalendar(spec);
  const starts_ = starts();
  const perl = businessHoursInstalled();
  if (!perl) console.warn('Business::Hours not installed (apt-get install -y libbusiness-hours-perl): reporting our figures only');
  const bhCalendar = toBusinessHours(
    spec,
    expandHolidays(spec, 2026, 2028).map((h) => h.date),
  );

  let agree = 0;
  let cases = 0;
  const rows: BusinessTimeBenchResult['rows'] = [];
  for (const d of DURATIONS) {
    const ms = d.hours * HOUR;
    let k = 0;
    const ours = opsPerSec(() => {
      addBusinessTime(cal, starts_[k++ % starts_.length] as number, ms);
    }, TIME_BUDGET_MS);
    // Cold: a fresh compilation per call, so year indexes are rebuilt (holiday expansion stays cached).
    const cold = opsPerSec(() => {
      addBusinessTime(compileCalendar({ ...spec }), starts_[k++ % starts_.length] as number, ms);
    }, TIME_BUDGET_MS / 4);
    let perlOps: number | null = null;
    if (perl) {
      const sample = starts_.slice(0, d.perlSample);
      const perlCases: PerlBenchCase[] = sample.map((t) => {
        const start = t / 1000;
        return d.hours <= 40
          ? { label: d.label, op: 'add', start, seconds: d.hours * 3600 }
          : { label: d.label, op: 'add_chained', start, chunks: Array<number>(d.hours / 40).fill(40 * 3600) };
      });
      // Same answers first: B::H returns the next business second where we return the close edge.
      const theirs = perlResults(spec.timeZone, bhCalendar, perlCases);
      sample.forEach((t, i) => {
        cases++;
        if (theirs[i] === nextOpen(cal, addBusinessTime(cal, t, ms)) / 1000) agree++;
      });
      const timed = perlBench(spec.timeZone, bhCalendar, perlCases, 1);
      const seconds = timed.reduce((s, r) => s + r.seconds, 0);
      perlOps = timed.length / seconds;
    }
    rows.push({
      duration: d.label,
      oursOpsPerSec: ours,
      oursColdOpsPerSec: cold,
      perlOpsPerSec: perlOps,
      speedup: perlOps ? ours / perlOps : null,
    });
  }
  const at = (label: string) => rows.find((r) => r.duration === label)?.oursOpsPerSec ?? Number.NaN;
  const costRatio = at('4h') / at('2000h');
  const speedups = rows.map((r) => r.speedup).filter((s): s is number => s !== null);
  const result: BusinessTimeBenchResult = {
    rows,
    costRatio2000hVs4h: costRatio,
    agreement: perl ? { cases, agree } : null,
    goals: { speedup50x: speedups.length ? Math.min(...speedups) >= 50 : null, span2000hWithin3x: costRatio <= 3 },
  };

  const fmt = (n: number | null, digits = 0) => (n === null ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits }));
  console.log('\nbusiness-time: addBusinessTime on emea-berlin from mid-December 2026 (ops/s)');
  console.log(
    table(
      rows.map((r) => ({
        duration: r.duration,
        ours: fmt(r.oursOpsPerSec),
        'ours cold (fresh compile)': fmt(r.oursColdOpsPerSec),
        'Business::Hours': fmt(r.perlOpsPerSec, 2),
        'speedup x': fmt(r.speedup),
      })),
    ),
  );
  console.log(`2000h / 4h cost ratio: ${costRatio.toFixed(2)} (goal <= 3)`);
  if (result.agreement) console.log(`results agree with Business::Hours on ${result.agreement.agree}/${result.agreement.cases} cases`);
  console.log(
    `goals: >= 50x Business::Hours: ${String(result.goals.speedup50x)}; 2000h within 3x of 4h: ${result.goals.span2000hWithin3x}`,
  );
  console.log(`wrote ${writeResult('business-time', result)}`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runBusinessTimeBench();
}

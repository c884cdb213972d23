import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DRIVER = fileURLToPath(new URL('./business-hours-driver.pl', import.meta.url));

/** Business::Hours' own weekly format: one Start/End per weekday (0 = Sunday) with Breaks between. */
export interface BhDay {
  Start: string;
  End: string;
  Breaks?: Array<{ Start: string; End: string }>;
}
export interface BhCalendar {
  weekly: Record<string, BhDay>;
  holidays?: string[];
}
export type BhCase =
  | { calendar: BhCalendar; op: 'add'; start: number; seconds: number; label?: string }
  | { calendar: BhCalendar; op: 'add_chained'; start: number; chunks: number[]; label?: string }
  | { calendar: BhCalendar; op: 'between'; start: number; end: number; label?: string };

export function businessHoursAvailable(): boolean {
  const r = spawnSync('perl', ['-MBusiness::Hours', '-MSet::IntSpan', '-MJSON::PP', '-MTime::HiRes', '-e', '1'], { encoding: 'utf8' });
  return r.status === 0;
}

export const MISSING_MESSAGE =
  'Business::Hours (Perl) is not installed: apt-get install -y libbusiness-hours-perl. Differential tests skipped (they fail when CI is set).';

/**
 * Runs one batch through the Perl driver with TZ set to the calendar zone (B::H works in the process's
 * local time); returns its JSON results. Async so that batches for different zones run in parallel.
 */
export function runDriver<T>(timeZone: string, payload: object): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('perl', [DRIVER], { env: { ...process.env, TZ: timeZone }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`business-hours driver failed (${code}): ${err}`));
      else resolve((JSON.parse(out) as { results: T[] }).results);
    });
    child.stdin.end(JSON.stringify(payload));
  });
}

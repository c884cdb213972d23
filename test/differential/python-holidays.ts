import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DRIVER = fileURLToPath(new URL('./holidays-driver.py', import.meta.url));

export interface PyHolidayRequest {
  country: string;
  subdiv?: string;
  years: number[];
}

/** Debian's /usr/bin/python3 has python3-holidays; the `python3` on PATH may be a pyenv without it. */
export function findPythonWithHolidays(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import holidays'], { encoding: 'utf8' }).status === 0);
}

export function pythonHolidays(python: string, requests: PyHolidayRequest[]): string[][] {
  const r = spawnSync(python, [DRIVER], { input: JSON.stringify(requests), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`holidays driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}

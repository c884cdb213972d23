import { readdirSync, readFileSync } from 'node:fs';

/** Where the machine's CPU went, by who spent it: this process, the Temporal server, PostgreSQL, the rest. */
export type CpuByProcess = Record<'bench' | 'temporal' | 'postgres' | 'other', number>;

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture it runs on. */
const MS_PER_TICK = 10;

/** CPU milliseconds (user + system) every live process has spent so far, grouped as CpuByProcess. */
export function cpuByProcess(): CpuByProcess {
  const out: CpuByProcess = { bench: 0, temporal: 0, postgres: 0, other: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
    const who =
      pid === String(process.pid) ? 'bench' : name.startsWith('postgres') ? 'postgres' : name.startsWith('temporal') ? 'temporal' : 'other';
    out[who] += ms;
  }
  return out;
}

/** Adds what was spent between two readings to `into`. */
export function addCpu(into: CpuByProcess, before: CpuByProcess, after: CpuByProcess): void {
  for (const k of Object.keys(into) as Array<keyof CpuByProcess>) into[k] += after[k] - before[k];
}

export const noCpu = (): CpuByProcess => ({ bench: 0, temporal: 0, postgres: 0, other: 0 });

/** Per-item figures, for a table: "bench 3.12 · temporal 8.40 · postgres 0.31 · other 0.12 ms". */
export function cpuPerItem(cpu: CpuByProcess, items: number): Record<keyof CpuByProcess, number> {
  const per = (v: number) => Math.round((v / Math.max(1, items)) * 100) / 100;
  return { bench: per(cpu.bench), temporal: per(cpu.temporal), postgres: per(cpu.postgres), other: per(cpu.other) };
}

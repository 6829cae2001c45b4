import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/** Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) on every common platform. */
const TICKS_PER_SECOND = 100;

interface Stat {
  pid: number;
  ppid: number;
  command: string;
  /** utime + stime, and the same for reaped children (cutime + cstime), in seconds. */
  own: number;
  reaped: number;
}

function stat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  const close = text.lastIndexOf(')');
  const command = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // After "pid (comm) ": state ppid … utime(14th field overall) stime cutime cstime.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return {
    pid,
    ppid: Number(fields[1]),
    command,
    own: (utime + stime) / TICKS_PER_SECOND,
    reaped: (cutime + cstime) / TICKS_PER_SECOND,
  };
}

function allStats(): Stat[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => stat(Number(entry)) ?? []);
}

/** CPU seconds (user + system) a process has used so far. */
export function processCpuSeconds(pid: number): number {
  return stat(pid)?.own ?? Number.NaN;
}

/**
 * CPU seconds of the embedded PostgreSQL server that this process started: the postmaster, its live
 * backends and the backends that have ended. Undefined when PostgreSQL is not a child of this process.
 */
export function embeddedPostgresCpuSeconds(parentPid = process.pid): number | undefined {
  const stats = allStats();
  const postmaster = stats.find((s) => s.ppid === parentPid && s.command === 'postgres');
  if (!postmaster) return undefined;
  return (
    postmaster.own +
    postmaster.reaped +
    stats.filter((s) => s.ppid === postmaster.pid).reduce((sum, s) => sum + s.own, 0)
  );
}

/**
 * CPU seconds so far of each backend of an external PostgreSQL server (on this machine) serving the
 * databases whose names start with `prefix`, by backend process id. A backend that ends between two readings
 * takes its time with it (the pools keep theirs open under load, so little is lost).
 */
export async function serverBackendCpuSeconds(adminUrl: string, prefix: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let pids: number[];
  try {
    pids = (
      await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname LIKE $1`, [`${prefix}\\_%`])
    ).rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    const own = stat(pid)?.own;
    if (own !== undefined) seconds.set(pid, own);
  }
  return seconds;
}

/** The CPU seconds the backends used between two readings of `serverBackendCpuSeconds`. */
export function backendCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

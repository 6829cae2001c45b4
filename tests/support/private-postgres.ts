import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A PostgreSQL server of this test's own, from the machine's PostgreSQL installation. */
export interface PrivatePostgres {
  adminUrl: string;
  port: number;
  stop(): void;
}

/** The newest PostgreSQL installation's bin folder (Debian's layout: /usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  if (!majors.length) throw new Error('No PostgreSQL installation under /usr/lib/postgresql');
  return path.join(base, majors[0], 'bin');
}

/**
 * Starts a server of the machine's PostgreSQL on `port` with its data in a temporary folder, as the system
 * user `postgres` when run as root (PostgreSQL refuses root). For tests whose commands create databases under
 * fixed names (`verbund migrate` makes `verbund_<subgraph>`), which on the shared server would meet another
 * worktree's or a hand-started hub's databases of the same names.
 */
export function startPrivatePostgres(port: number): PrivatePostgres {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    execFileSync(
      asRoot ? 'setpriv' : path.join(bin, command),
      asRoot ? ['--reuid=postgres', '--regid=postgres', '--init-groups', path.join(bin, command), ...args] : args,
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`,
    'start',
  ]);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

import type { DataSource, MigrationInterface } from 'typeorm';

/**
 * Health of one part, as `GET /health/live` and `GET /health/ready` report it. Live means the process answers;
 * ready means what it depends on answers too (a subgraph's database and migrations, the gateway's supergraph).
 * A probe learns what is missing in words, never a stack trace or a statement.
 */

/** What a readiness check found wrong, in words for an operator; `undefined` when all is well. */
export type ReadinessCheck = () => Promise<string | undefined>;

/** The answer of `/health/ready`: HTTP 200 when `ready`, else 503, with each check's result by name. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

/** How long one readiness check may take before it counts as failed. @default 2000 */
export const READY_DEADLINE_MS = 2_000;

class DeadlineExceeded extends Error {}

/** `work`, or a rejection with DeadlineExceeded after `ms`. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Runs the checks one after another, each within `deadlineMs`; a check that throws or takes longer fails
 * with a fixed phrase, so no error text (which could carry a statement) reaches the answer. Once one check
 * failed, the later ones are reported as not checked: they depend on the earlier (migrations on the database).
 */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  deadlineMs = READY_DEADLINE_MS,
): Promise<Readiness> {
  const results: Record<string, string> = {};
  let failed: string | undefined;
  for (const [name, check] of Object.entries(checks)) {
    if (failed) {
      results[name] = `not checked (${failed} failed)`;
      continue;
    }
    let problem: string | undefined;
    try {
      problem = await withDeadline(check(), deadlineMs);
    } catch (error) {
      problem = error instanceof DeadlineExceeded ? `no answer within ${deadlineMs} ms` : 'failed';
    }
    results[name] = problem ?? 'ok';
    if (problem) failed = name;
  }
  return { ready: failed === undefined, checks: results };
}

/** The body of a `/health/ready` answer. */
export function readinessBody(readiness: Readiness): { status: 'ready' | 'not ready'; checks: Record<string, string> } {
  return { status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks };
}

/** The names TypeORM records in the migrations table for these migration classes (an instance's `name`, else the class name). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export function migrationNames(migrations: Function[]): string[] {
  return migrations.map((m) => new (m as new () => MigrationInterface)().name ?? m.name);
}

/** The defined migrations the database has not applied, in their defined order. */
export function pendingMigrations(defined: string[], applied: string[]): string[] {
  const done = new Set(applied);
  return defined.filter((name) => !done.has(name));
}

/** "2 pending: A, B", or undefined when none is. */
export function describePending(pending: string[]): string | undefined {
  return pending.length ? `${pending.length} pending: ${pending.join(', ')}` : undefined;
}

/** Why the database did not answer, without the driver's message: a code such as ECONNREFUSED or 57P03 at most. */
function databaseProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? `unreachable (${code})` : 'unreachable';
}

/**
 * A subgraph's readiness checks: its database answers `SELECT 1` through the subgraph's own pool, and the
 * migrations table (which the runtime role may read) lists every migration of its definition. While a
 * database check is still waiting for a connection, the next one does not queue another request behind it.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export function subgraphReadinessChecks(db: DataSource, migrations: Function[]): Record<string, ReadinessCheck> {
  const defined = migrationNames(migrations);
  let pending: Promise<unknown> | undefined;
  return {
    database: async () => {
      if (!db.isInitialized) return 'not connected (the connection pool is closed)';
      if (pending) return 'no answer (the previous check is still waiting)';
      const query = db.query('SELECT 1');
      pending = query;
      try {
        await query;
        return undefined;
      } catch (error) {
        return databaseProblem(error);
      } finally {
        pending = undefined;
      }
    },
    migrations: async () => {
      let applied: { name: string }[];
      try {
        applied = await db.query<{ name: string }[]>('SELECT name FROM migrations');
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return code === '42P01'
          ? 'the migrations table is missing'
          : code === '42501'
            ? 'the migrations table cannot be read'
            : databaseProblem(error);
      }
      return describePending(
        pendingMigrations(
          defined,
          applied.map((row) => row.name),
        ),
      );
    },
  };
}

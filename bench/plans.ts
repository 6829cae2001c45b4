import pg from 'pg';
import { StatementCounter } from '../common/db/data-source.js';
import type { SubgraphName } from '../common/domain.js';

/** One SQL statement as a subgraph sent it. */
export interface RecordedStatement {
  subgraph: SubgraphName;
  /** What the statement served, e.g. "person view". */
  request: string;
  query: string;
  parameters: unknown[];
}

/** Counts statements like the tests' counter and, while `recording` is set, keeps them for EXPLAIN. */
export class RecordingCounter extends StatementCounter {
  recording?: { subgraph: SubgraphName; request: string };
  readonly recorded: RecordedStatement[] = [];

  override logQuery(query?: string, parameters?: unknown[] | object): void {
    super.logQuery();
    if (this.recording && query) {
      this.recorded.push({ ...this.recording, query, parameters: Array.isArray(parameters) ? parameters : [] });
    }
  }
}

/** The plan of one recorded statement on the hub's data. */
export interface StatementPlan {
  subgraph: SubgraphName;
  request: string;
  /** The statement's table(s) and shape, shortened. */
  statement: string;
  /** The plan's scan nodes, e.g. "Index Scan using person_pkey on person". */
  scans: string[];
  /**
   * Execution time EXPLAIN ANALYZE reported, ms; NaN for a statement that writes (a disclosure record's
   * append, a write's insert), which is planned but never run.
   */
  milliseconds: number;
}

function shorten(query: string): string {
  const tables = [...query.matchAll(/\b(?:FROM|INTO|JOIN)\s+"?(\w+)\b"?(?!\s*\()/gi)].map((m) => m[1]);
  const where = /\bWHERE\b([\s\S]*?)(\bORDER BY\b|\bLIMIT\b|$)/i.exec(query)?.[1] ?? '';
  const columns = [
    ...new Set(
      [...where.matchAll(/"?(\w+)"?(?:\s+IN\b|\s*=|\s+IS\b)/gi)].map((m) => m[1]).filter((c) => !/^\d+$/.test(c)),
    ),
  ];
  return `${[...new Set(tables)].join(', ')}${columns.length ? ` by ${columns.join(', ')}` : ''}`;
}

/** PostgreSQL's SQLSTATE for a write attempted in a read-only transaction. */
const READ_ONLY_SQL_TRANSACTION = '25006';

/** The statements EXPLAIN accepts; transaction control and settings cannot be explained. */
const EXPLAINABLE = /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES)\b/i;

/** Runs `explain` in a read-only transaction that is always rolled back, so that nothing it runs can stay. */
async function readOnly<T>(client: pg.Client, explain: () => Promise<T>): Promise<T> {
  await client.query('BEGIN TRANSACTION READ ONLY');
  try {
    return await explain();
  } finally {
    await client.query('ROLLBACK');
  }
}

/**
 * Explains each recorded statement, with its own parameters, on the hub's databases (the same schema, seeded
 * with `--persons`), and keeps the scan nodes: a sequential scan of a large table there means a missing index.
 *
 * The measured hub's databases must come out of this as they went in: EXPLAIN ANALYZE runs the statement,
 * and a disclosure record's append is a data-modifying `WITH … INSERT`, which would put another hub's
 * records into the measured logs. So every statement runs as the subgraph's own role (never the owner, whom
 * the log's chain trigger lets past), inside a read-only transaction that is rolled back; a statement that
 * would write is refused there by PostgreSQL before it runs, and is then only planned (EXPLAIN without
 * ANALYZE, again in a rolled-back read-only transaction).
 */
export async function explainStatements(
  statements: RecordedStatement[],
  databases: Record<SubgraphName, { roleUrl: string }>,
  /** Maps a recorded parameter to the hub's data, e.g. a person id of another seed to the same index's. */
  translate: (parameter: unknown) => unknown = (parameter) => parameter,
): Promise<StatementPlan[]> {
  const plans: StatementPlan[] = [];
  const clients = new Map<SubgraphName, pg.Client>();
  try {
    for (const statement of statements) {
      if (!EXPLAINABLE.test(statement.query)) continue;
      let client = clients.get(statement.subgraph);
      if (!client) {
        client = new pg.Client({ connectionString: databases[statement.subgraph].roleUrl });
        await client.connect();
        clients.set(statement.subgraph, client);
      }
      const connected = client;
      const parameters = statement.parameters.map((p) => (Array.isArray(p) ? p.map(translate) : translate(p)));
      const explain = (options: string) =>
        readOnly(connected, async () =>
          (
            await connected.query<{ 'QUERY PLAN': string }>(`EXPLAIN (${options}) ${statement.query}`, parameters)
          ).rows.map((row) => row['QUERY PLAN']),
        );
      let lines: string[];
      try {
        lines = await explain('ANALYZE, COSTS OFF');
      } catch (error) {
        if ((error as { code?: string }).code !== READ_ONLY_SQL_TRANSACTION) throw error;
        lines = await explain('COSTS OFF');
      }
      plans.push({
        subgraph: statement.subgraph,
        request: statement.request,
        statement: shorten(statement.query),
        scans: lines
          .filter((line) => /Scan/.test(line))
          .map((line) => line.replace(/^[\s>-]+/, '').replace(/\s+\(actual.*$/, '')),
        milliseconds: Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1] ?? Number.NaN),
      });
    }
  } finally {
    for (const client of clients.values()) await client.end();
  }
  return plans;
}

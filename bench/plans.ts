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
  /** Execution time EXPLAIN ANALYZE reported, ms. */
  milliseconds: number;
}

function shorten(query: string): string {
  const tables = [...query.matchAll(/\bFROM\s+"?(\w+)"?/gi)].map((m) => m[1]);
  const where = /\bWHERE\b([\s\S]*?)(\bORDER BY\b|\bLIMIT\b|$)/i.exec(query)?.[1] ?? '';
  const columns = [
    ...new Set(
      [...where.matchAll(/"?(\w+)"?(?:\s+IN\b|\s*=|\s+IS\b)/gi)].map((m) => m[1]).filter((c) => !/^\d+$/.test(c)),
    ),
  ];
  return `${[...new Set(tables)].join(', ')}${columns.length ? ` by ${columns.join(', ')}` : ''}`;
}

/**
 * Runs EXPLAIN ANALYZE for each recorded statement, with its own parameters, on the hub's databases (the
 * same schema, seeded with `--persons`), and keeps the scan nodes: a sequential scan of a large table
 * there means a missing index.
 */
export async function explainStatements(
  statements: RecordedStatement[],
  urls: Record<SubgraphName, string>,
  /** Maps a recorded parameter to the hub's data, e.g. a person id of another seed to the same index's. */
  translate: (parameter: unknown) => unknown = (parameter) => parameter,
): Promise<StatementPlan[]> {
  const plans: StatementPlan[] = [];
  const clients = new Map<SubgraphName, pg.Client>();
  try {
    for (const statement of statements) {
      // Only reads: EXPLAIN ANALYZE runs the statement, and transaction control cannot be explained.
      if (!/^\s*(SELECT|WITH)\b/i.test(statement.query)) continue;
      let client = clients.get(statement.subgraph);
      if (!client) {
        client = new pg.Client({ connectionString: urls[statement.subgraph] });
        await client.connect();
        clients.set(statement.subgraph, client);
      }
      const parameters = statement.parameters.map((p) => (Array.isArray(p) ? p.map(translate) : translate(p)));
      const result = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, COSTS OFF) ${statement.query}`,
        parameters,
      );
      const lines = result.rows.map((row) => row['QUERY PLAN']);
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

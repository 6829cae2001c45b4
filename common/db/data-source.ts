import { DataSource, type Logger, type MixedList, type EntitySchema } from 'typeorm';

/** Counts the SQL statements a data source sends; tests use it to show batching holds as data grows. */
export class StatementCounter implements Logger {
  count = 0;
  logQuery(): void {
    this.count += 1;
  }
  logQueryError(): void {
    // The error is thrown to the caller; the statement and its parameters (personal data) stay out of logs.
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** A TypeORM data source for one subgraph database. Never synchronises: the schema comes from migrations. */
export function createDataSource(options: {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  counter?: StatementCounter;
  /** Whether connections pipeline (see below). @default true; false only to measure what it saves (`bench/together.ts`) */
  pipeline?: boolean;
}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // Statements are counted, never printed: their parameters are personal data. Errors reach the caller.
    logging: ['query', 'error'],
    logger: options.counter ?? new StatementCounter(),
    // Pipelined connections: statements sent without waiting for the one before go out together and cost one
    // round trip (a change's savepoint and its record's append; reads sent at once, `runPrepared`). Each keeps its
    // own result and error, in order, as without pipelining.
    extra: { max: options.poolSize ?? 10, application_name: 'verbund', pipeline: options.pipeline ?? true },
  });
}

import { DataSource, type Logger, type MixedList, type EntitySchema } from 'typeorm';

/** Counts the SQL statements a data source sends; tests use it to show batching holds as data grows. */
export class StatementCounter implements Logger {
  count = 0;
  logQuery(): void {
    this.count += 1;
  }
  logQueryError(error: string | Error, query: string): void {
    // Errors surface through the caller; this keeps the statement for the server log.
    if (process.env.VERBUND_SQL_DEBUG) console.error('SQL error', error, query);
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** A TypeORM data source for one subgraph database. Never synchronises: the schema comes from migrations. */
export function createDataSource(options: {
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  counter?: StatementCounter;
}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: options.counter ? ['query', 'error'] : ['error'],
    logger: options.counter ?? 'simple-console',
    extra: { max: options.poolSize ?? 10, application_name: 'verbund' },
  });
}

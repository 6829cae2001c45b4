import type { DataSource } from 'typeorm';
import { createDataSource, type StatementCounter } from '../db/data-source.js';
import { grantRuntimeRights, roleName, type SubgraphDatabase } from '../db/provision.js';
import type { SubgraphDefinition } from './definition.js';

/** Runs `work` on a connection to the subgraph's database as its administrator, with its migrations known. */
async function asAdministrator<T>(
  definition: SubgraphDefinition,
  database: SubgraphDatabase,
  work: (admin: DataSource) => Promise<T>,
): Promise<T> {
  const admin = createDataSource({
    url: database.adminUrl,
    entities: [],
    migrations: definition.migrations,
    poolSize: 1,
  });
  await admin.initialize();
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

/** Runs the subgraph's pending migrations as the database's administrator; returns their names. */
export async function migrateSubgraph(definition: SubgraphDefinition, database: SubgraphDatabase): Promise<string[]> {
  const applied = await asAdministrator(definition, database, (admin) => admin.runMigrations({ transaction: 'each' }));
  return applied.map((m) => m.name);
}

/** Reverts the subgraph's most recent migration (`npm run migrate -- --revert`). */
export async function revertSubgraphMigration(
  definition: SubgraphDefinition,
  database: SubgraphDatabase,
): Promise<void> {
  await asAdministrator(definition, database, (admin) => admin.undoLastMigration({ transaction: 'each' }));
}

/** Opens the subgraph's runtime connection pool, as its own role. */
export async function openSubgraphDatabase(
  definition: SubgraphDefinition,
  url: string,
  options: { poolSize?: number; counter?: StatementCounter } = {},
): Promise<DataSource> {
  const db = createDataSource({ url, entities: definition.entities, ...options });
  return db.initialize();
}

export { grantRuntimeRights, roleName };

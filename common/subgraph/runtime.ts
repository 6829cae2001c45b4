import type { DataSource } from 'typeorm';
import { createDataSource, type StatementCounter } from '../db/data-source.js';
import { grantRuntimeRights, roleName, type SubgraphDatabase } from '../db/provision.js';
import type { SubgraphDefinition } from './definition.js';

/** Runs the subgraph's pending migrations as the database's administrator; returns their names. */
export async function migrateSubgraph(definition: SubgraphDefinition, database: SubgraphDatabase): Promise<string[]> {
  const admin = createDataSource({
    url: database.adminUrl,
    entities: [],
    migrations: definition.migrations,
    poolSize: 1,
  });
  await admin.initialize();
  try {
    const applied = await admin.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await admin.destroy();
  }
}

/** Reverts the subgraph's most recent migration (`npm run migrate -- --revert`). */
export async function revertSubgraphMigration(
  definition: SubgraphDefinition,
  database: SubgraphDatabase,
): Promise<void> {
  const admin = createDataSource({
    url: database.adminUrl,
    entities: [],
    migrations: definition.migrations,
    poolSize: 1,
  });
  await admin.initialize();
  try {
    await admin.undoLastMigration({ transaction: 'each' });
  } finally {
    await admin.destroy();
  }
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

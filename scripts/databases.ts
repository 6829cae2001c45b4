import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import type { Config } from '../common/config.js';
import { provisionDatabase, type SubgraphDatabase } from '../common/db/provision.js';
import { startDatabaseServerOrExit, type DatabaseServer } from '../common/db/server.js';
import type { SubgraphDefinition } from '../common/subgraph/definition.js';
import { migrateSubgraph } from '../common/subgraph/runtime.js';
import { loadSubgraphDefinition } from '../subgraphs/index.js';

/** The database server and every subgraph's database, provisioned and migrated. */
export interface PreparedDatabases {
  server: DatabaseServer;
  databases: Record<SubgraphName, SubgraphDatabase>;
  definitions: Record<SubgraphName, SubgraphDefinition<unknown>>;
}

/**
 * Starts or reaches PostgreSQL, creates each subgraph's database and role, and runs pending migrations. When the
 * embedded server cannot start, the process ends saying why (exit code 69): for the scripts, which are `main`s.
 */
export async function prepareDatabases(config: Config, log: (line: string) => void): Promise<PreparedDatabases> {
  const server = await startDatabaseServerOrExit({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
  });
  log(
    server.embedded
      ? `Embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort} (data in ${config.dataDir}/pg)`
      : 'PostgreSQL at DATABASE_URL',
  );
  const databases = {} as Record<SubgraphName, SubgraphDatabase>;
  const definitions = {} as Record<SubgraphName, SubgraphDefinition<unknown>>;
  try {
    for (const name of SUBGRAPHS) {
      definitions[name] = await loadSubgraphDefinition(name);
      databases[name] = await provisionDatabase(server.adminUrl, name);
      const applied = await migrateSubgraph(definitions[name], databases[name]);
      if (applied.length) log(`${name}: applied migrations ${applied.join(', ')}`);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, databases, definitions };
}

/**
 * jest's global set-up and tear-down (tests/global-setup.js, tests/global-teardown.js): starts (or reaches,
 * with DATABASE_URL) PostgreSQL once and migrates one template database per subgraph. Each test file clones
 * the templates into databases of its own (support/databases.ts), so files never see each other's rows.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfigOrExit } from '../../common/config.js';
import { SUBGRAPHS } from '../../common/domain.js';
import { dropDatabase, provisionDatabase } from '../../common/db/provision.js';
import { startDatabaseServer } from '../../common/db/server.js';
import { migrateSubgraph } from '../../common/subgraph/runtime.js';
import { ensureConsoleBuilt } from '../../scripts/build-console.js';
import { ensureExplorerBuilt } from '../../scripts/build-explorer.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import { templateName } from './databases.js';

interface Prepared {
  stop(): Promise<void>;
}

// tsImport loads this module afresh for the tear-down; what it must release waits on globalThis.
const state = globalThis as typeof globalThis & { verbundTestDatabases?: Prepared };

/**
 * Starts the test databases and hands their whereabouts to the test files through the environment, which
 * jest's workers inherit: VERBUND_TEST_ADMIN_URL and VERBUND_TEST_RUN (the template names' suffix).
 * VERBUND_TEST_SUBGRAPHS=county,jobcenter limits the templates, for working on one subgraph alone.
 */
export async function prepareTestDatabases(): Promise<void> {
  const config = loadConfigOrExit();
  const only = process.env.VERBUND_TEST_SUBGRAPHS?.split(',');
  const server = await startDatabaseServer({
    databaseUrl: config.databaseUrl,
    dataDir: path.join(config.dataDir, 'test'),
    port: config.embeddedPgPort + 1,
  });
  const run = `_${randomBytes(3).toString('hex')}`;
  const templates = SUBGRAPHS.filter((n) => !only || only.includes(n));
  const stop = async () => {
    for (const name of templates) await dropDatabase(server.adminUrl, templateName(name, run)).catch(() => {});
    await server.stop();
  };
  state.verbundTestDatabases = { stop };
  try {
    for (const name of templates) {
      const database = await provisionDatabase(server.adminUrl, name, templateName(name, run));
      await migrateSubgraph(await loadSubgraphDefinition(name), database);
    }
  } catch (error) {
    state.verbundTestDatabases = undefined;
    await stop();
    throw error;
  }
  process.env.VERBUND_TEST_ADMIN_URL = server.adminUrl;
  process.env.VERBUND_TEST_RUN = run;
}

/**
 * Builds the console for the browser tests when it is missing or stale. Here, once, rather than in the
 * test files: Vite's bundler refuses plugin objects made in a jest VM context, and two files at a time
 * would build into the same folder.
 */
export async function prepareConsole(): Promise<void> {
  await ensureConsoleBuilt((line) => console.log(`\n${line}`));
  // The explorer too: vite cannot build inside jest's module sandbox, only here in the global set-up. A failed
  // build (e.g. GraphiQL not installed yet: `npm install`) fails the explorer's own tests, not every other file.
  await ensureExplorerBuilt((line) => console.log(`\n${line}`)).catch((error: Error) =>
    console.log(`\nthe explorer was not built (${error.message}); tests/explorer will fail until it is`),
  );
}

/** Drops the templates and stops the embedded server, if this run started one. */
export async function releaseTestDatabases(): Promise<void> {
  const prepared = state.verbundTestDatabases;
  state.verbundTestDatabases = undefined;
  await prepared?.stop();
}

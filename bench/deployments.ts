import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { dropDatabase, provisionDatabase, type SubgraphDatabase } from '../common/db/provision.js';
import { migrateSubgraph, openSubgraphDatabase } from '../common/subgraph/runtime.js';
import { progressBar, seedDemo, type SeedTargets } from '../seed/seed-demo.js';
import { loadSubgraphDefinition } from '../subgraphs/index.js';
import { startProcess, type RunningProcess } from './processes.js';

const root = path.resolve(import.meta.dirname, '..');

/** The benchmark's databases are named `verbund_bench_<subgraph>`, apart from `npm start`'s and the tests'. */
export const BENCH_DATABASE_PREFIX = 'verbund_bench';

/** A gateway with its five subgraphs, each its own process. */
export interface Deployment {
  gatewayUrl: string;
  /** The gateway first, then the subgraphs. */
  processes: RunningProcess[];
  stop(): Promise<void>;
}

/** Creates fresh, migrated benchmark databases (dropping those of an earlier run) and seeds the demo district. */
export async function prepareHubDatabases(
  adminUrl: string,
  options: { persons: number; seed: number; log: (line: string) => void },
): Promise<Record<SubgraphName, SubgraphDatabase>> {
  const databases = {} as Record<SubgraphName, SubgraphDatabase>;
  const targets: SeedTargets = {};
  try {
    for (const name of SUBGRAPHS) {
      const definition = await loadSubgraphDefinition(name);
      const database = `${BENCH_DATABASE_PREFIX}_${name}`;
      await dropDatabase(adminUrl, database);
      databases[name] = await provisionDatabase(adminUrl, name, database);
      await migrateSubgraph(definition, databases[name]);
      targets[name] = {
        definition,
        db: await openSubgraphDatabase(definition, databases[name].roleUrl, { poolSize: 2 }),
      };
    }
    options.log(`seeding ${options.persons} persons (seed ${options.seed})`);
    await seedDemo(targets, {
      seed: options.seed,
      from: 0,
      to: options.persons,
      batchSize: 1000,
      onProgress: progressBar('persons'),
    });
    // What autovacuum would do soon after a bulk load: statistics for the planner, a visibility map for
    // index-only scans. Without it the first minutes of a run would measure plans made without statistics.
    for (const name of SUBGRAPHS) await analyse(databases[name].adminUrl);
  } finally {
    for (const target of Object.values(targets)) await target.db.destroy();
  }
  return databases;
}

async function analyse(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** Drops the benchmark's databases (used on a shared external server). */
export async function dropHubDatabases(adminUrl: string): Promise<void> {
  for (const name of SUBGRAPHS) await dropDatabase(adminUrl, `${BENCH_DATABASE_PREFIX}_${name}`);
}

/**
 * Ids of persons with a consent in force for the jobcenter to see their language skills for job placement:
 * the persons the person-view scenarios pick from, as the consent registry records them.
 */
export async function personsWithLanguageConsent(consent: SubgraphDatabase): Promise<string[]> {
  const client = new pg.Client({ connectionString: consent.roleUrl });
  await client.connect();
  try {
    const result = await client.query<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM consent
        WHERE is_current AND withdrawn_at IS NULL AND valid_from <= now() AND (valid_until IS NULL OR valid_until > now())
          AND 'jobcenter' = ANY(recipients) AND 'JOB_PLACEMENT' = ANY(purposes) AND 'CLEARING_LANGUAGE' = ANY(categories)
        ORDER BY person_id`,
    );
    return result.rows.map((row) => row.person_id);
  } finally {
    await client.end();
  }
}

/** The environment of a child process: the configuration it reads, and none of the launcher's overrides. */
export function childEnvironment(base: NodeJS.ProcessEnv, settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const overrides = new Set(
    SUBGRAPHS.flatMap((name) => [`${name.toUpperCase()}_URL`, `${name.toUpperCase()}_DATABASE_URL`]),
  );
  for (const [key, value] of Object.entries(base)) if (!overrides.has(key)) env[key] = value;
  return { ...env, ...settings };
}

/** Where a deployment listens and what its processes inherit. */
export interface DeploymentOptions {
  /** The compiled tree the processes run from (`compileForBench`); the TypeScript sources under tsx when absent. */
  build?: string;
  /** Extra Node flags for every process (`--cpu-prof`). */
  execArgv?: string[];
  /** The gateway's port; the subgraphs take the ports after it. */
  port: number;
  env: NodeJS.ProcessEnv;
  onUnexpectedExit: (label: string, code: number | null) => void;
}

/** A main file: its compiled JavaScript in `options.build`, else the TypeScript source. */
function script(options: DeploymentOptions, source: string): string {
  return options.build ? path.join(options.build, source.replace(/\.ts$/, '.js')) : path.join(root, source);
}

/** Starts the subgraphs, then the gateway in front of them (`bench/gateway.main.ts <kind>`). */
async function startAll(
  kind: 'hub' | 'baseline',
  options: DeploymentOptions,
  subgraphs: { name: SubgraphName; script: string; args: string[]; env?: Record<string, string> }[],
): Promise<Deployment> {
  const { port, onUnexpectedExit } = options;
  const env = childEnvironment(options.env, { PORT: String(port), SUBGRAPH_PORT_BASE: String(port + 1) });
  // Every part can be asked for its heap after a full collection (the soak run's figure).
  const execArgv = [
    '--expose-gc',
    '--import',
    pathToFileURL(script(options, 'bench/heap-probe.ts')).href,
    ...(options.execArgv ?? []),
  ];
  const started: RunningProcess[] = [];
  // The gateway goes first, then the subgraphs it calls: the order of start-up, reversed.
  const stop = async () => {
    for (const running of [...started].reverse()) await running.stop();
  };
  try {
    for (const subgraph of subgraphs) {
      started.push(
        await startProcess({
          label: `${kind} ${subgraph.name}`,
          script: subgraph.script,
          args: subgraph.args,
          env: { ...env, ...subgraph.env },
          execArgv,
          onUnexpectedExit,
        }),
      );
    }
    const gateway = script(options, 'bench/gateway.main.ts');
    started.push(
      await startProcess({
        label: `${kind} gateway`,
        script: gateway,
        args: [kind],
        env,
        execArgv,
        onUnexpectedExit,
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gatewayUrl: `http://127.0.0.1:${port}/graphql`,
    processes: [started.at(-1)!, ...started.slice(0, -1)],
    stop,
  };
}

/**
 * Starts the hub as `npm start` does: the real subgraphs (`subgraphs/main.ts`), each a process with its
 * own database role, and the real gateway with authentication (`bench/gateway.main.ts hub`).
 */
export function startHub(
  options: DeploymentOptions & { databases: Record<SubgraphName, SubgraphDatabase> },
): Promise<Deployment> {
  return startAll(
    'hub',
    options,
    SUBGRAPHS.map((name) => ({
      name,
      script: script(options, 'subgraphs/main.ts'),
      // The benchmark signs its callers' tokens with the development key, in production mode.
      args: [name, '--development-tokens'],
      env: { [`${name.toUpperCase()}_DATABASE_URL`]: options.databases[name].roleUrl },
    })),
  );
}

/** Starts the bare federation baseline: static subgraphs of the same shapes behind the same gateway configuration. */
export function startBaseline(options: DeploymentOptions & { persons: number; seed: number }): Promise<Deployment> {
  return startAll(
    'baseline',
    options,
    SUBGRAPHS.map((name) => ({
      name,
      script: script(options, 'bench/baseline/subgraph.main.ts'),
      args: [name, String(options.persons), String(options.seed)],
    })),
  );
}

/**
 * `npm run bench -- [--duration 20] [--persons 10000] [--soak 300] …`: measures the hub against a bare
 * federation baseline in one run and writes the table to bench/RESULTS.md. Every part runs as its own
 * process, as under `npm start`; PostgreSQL is embedded (DATA_DIR .bench-data, port 54620) unless
 * DATABASE_URL names a server, where the databases are called `verbund_bench_*`.
 */
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { createTokenVerifier, issueDevToken } from '../common/auth/token.js';
import { loadConfigOrExit } from '../common/config.js';
import { startDatabaseServerOrExit } from '../common/db/server.js';
import { SUBGRAPHS } from '../common/domain.js';
import { demoPersonId } from '../seed/world.js';
import { compileForBench } from './build.js';
import { CASELOAD_SEED, CASELOAD_SIZES } from './caseload.js';
import {
  BENCH_DATABASE_PREFIX,
  dropHubDatabases,
  personsWithLanguageConsent,
  prepareHubDatabases,
  startBaseline,
  startHub,
  type Deployment,
} from './deployments.js';
import { OptionError, parseBenchOptions, type BenchOptions } from './options.js';
import { explainStatements } from './plans.js';
import { CALLERS } from './queries.js';
import { renderReport, type Environment, type Failed, type RunReport } from './report.js';
import { caseloadStatements, personView, prime, soak, writes, type ScenarioContext } from './scenarios.js';
import { timeline } from './timeline.js';
import { awaitCheckpoints, judgeRun, lastSequences, validityLine, verifyLogsFromStart } from './validity.js';

const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[bench] ${line}`);

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof OptionError)) throw error;
  console.error(error.message);
  process.exit(64);
}

// The benchmark's own defaults, so that it never touches `npm start`'s data or ports.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATA_DIR: process.env.DATA_DIR || path.join(root, '.bench-data'),
  EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT || '54620',
  NODE_ENV: 'production',
};
const config = loadConfigOrExit(env);
if (config.jwksUrl) {
  console.error("JWKS_URL is set: the benchmark signs its callers' tokens with the development key; unset JWKS_URL.");
  process.exit(78);
}

async function packageVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function postgresVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

/** Runs one scenario; a failure is reported in the table instead of ending the run. */
async function attempt<T>(label: string, run: () => Promise<T>): Promise<T | Failed> {
  try {
    return await run();
  } catch (error) {
    log(`${label} failed: ${(error as Error).stack ?? String(error)}`);
    return { failed: (error as Error).message.split('\n')[0] };
  }
}

const startedAt = new Date();
const loadBefore = os.loadavg()[0];
const devKey = await loadOrCreateDevKey(config.dataDir);
const sign = (caller: (typeof CALLERS)[keyof typeof CALLERS]) =>
  issueDevToken(devKey.privateKey, {
    officer: caller.officer,
    agency: caller.agency,
    roles: [caller.role],
    issuer: config.jwtIssuer,
    expiresIn: '24h',
  });
const tokens = { jobcenter: await sign(CALLERS.jobcenter), officer: await sign(CALLERS.consentOfficer) };
const server = await startDatabaseServerOrExit({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  port: config.embeddedPgPort,
});
log(
  server.embedded
    ? `embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort} (data in ${config.dataDir})`
    : 'PostgreSQL at DATABASE_URL',
);

const deployments: Deployment[] = [];
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const deployment of deployments) await deployment.stop();
    if (!server.embedded) await dropHubDatabases(server.adminUrl).catch(() => {});
    await server.stop();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
const onUnexpectedExit = (label: string, code: number | null) => {
  if (stopping) return;
  log(`${label} stopped unexpectedly (exit code ${code}); stopping the benchmark`);
  void shutdown(1);
};

/** The figures as they come in; the run's facts are added when it ends. */
const results: Omit<RunReport, 'command' | 'startedAt' | 'finishedAt' | 'environment' | 'options' | 'persons'> = {
  consented: 0,
};

try {
  const run = (n: number) => options.only.has(n);
  if (run(3)) {
    log('scenario 3: statements per caseload request, on an in-process hub of its own');
    results.caseload = await attempt('scenario 3', () =>
      caseloadStatements({
        adminUrl: server.adminUrl,
        prefix: `${BENCH_DATABASE_PREFIX}_counting`,
        verifier: createTokenVerifier({ issuer: config.jwtIssuer, devKey }),
        tokens,
        log,
      }),
    );
  }
  if ([1, 2, 4, 5, 6].some(run)) {
    const databases = await prepareHubDatabases(server.adminUrl, { persons: options.persons, seed: options.seed, log });
    const caseload = results.caseload;
    if (caseload && !('failed' in caseload)) {
      // Scenario 3 ran on the district of CASELOAD_SEED; its persons map to the hub's by index.
      const ids = new Map(
        Array.from({ length: CASELOAD_SIZES.at(-1)! }, (_, i) => [
          demoPersonId(CASELOAD_SEED, i),
          demoPersonId(options.seed, i),
        ]),
      );
      results.plans = await attempt('EXPLAIN', () =>
        explainStatements(caseload.statements, databases, (p) => ids.get(p as string) ?? p),
      );
    }
    const consented = await personsWithLanguageConsent(databases.consent);
    results.consented = consented.length;
    const build = await compileForBench(root, log);
    const execArgv = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProf)}`] : [];
    const hubStartedAt = new Date();
    const hub = await startHub({ databases, port: options.port, env, onUnexpectedExit, build, execArgv });
    deployments.push(hub);
    log(`hub at ${hub.gatewayUrl}`);
    const baseline = await startBaseline({
      persons: options.persons,
      seed: options.seed,
      port: options.port + 10,
      env,
      onUnexpectedExit,
      build,
      execArgv,
    });
    deployments.push(baseline);
    log(`baseline at ${baseline.gatewayUrl}`);
    const persons = Array.from({ length: options.persons }, (_, i) => demoPersonId(options.seed, i));
    const ctx: ScenarioContext = {
      options,
      hub,
      baseline,
      tokens,
      consented,
      persons,
      log,
      ...(server.embedded ? {} : { server: { adminUrl: server.adminUrl, prefix: BENCH_DATABASE_PREFIX } }),
    };
    await prime(ctx);
    if (run(1)) results.personView = await attempt('scenario 1', () => personView(ctx));
    if (run(2)) results.constantRate = await attempt('scenario 2', () => personView(ctx, options.rate));
    if (run(4)) {
      const supergraph = await readFile(path.join(root, 'schema/supergraph.graphql'), 'utf8');
      results.timeline = await attempt('scenario 4', () => timeline(ctx, supergraph));
    }
    if (run(5)) results.writes = await attempt('scenario 5', () => writes(ctx));
    if (run(6)) results.soak = await attempt('scenario 6', () => soak(ctx));
    // The figures count only if the hub did all its work: every log intact from record 1, and checkpoints
    // signed on their timers through the run, up to its last record, and cosigned.
    results.validity = await attempt('the run check', async () => {
      const last = await lastSequences(databases);
      const interval = config.checkpointIntervalSeconds;
      log(
        `checking the run: waiting (up to ${2 * interval + 30} s) for checkpoints covering records ${[...last.values()].join('/')}`,
      );
      const checks = await awaitCheckpoints(databases, last, hubStartedAt, (2 * interval + 30) * 1000);
      const registry = `http://127.0.0.1:${options.port + 1 + SUBGRAPHS.indexOf('consent')}/graphql`;
      return judgeRun(await verifyLogsFromStart(registry, tokens.officer, checks), interval);
    });
    log(validityLine(results.validity));
  }
  const environment: Environment = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 2 ** 30,
    loadBefore,
    loadAfter: os.loadavg()[0],
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    postgres: await postgresVersion(server.adminUrl),
    database: server.embedded ? 'embedded' : 'external (DATABASE_URL)',
    poolSize: config.dbPoolSize,
    versions: Object.fromEntries(
      await Promise.all(
        [
          '@apollo/gateway',
          '@apollo/server',
          '@apollo/subgraph',
          'graphql',
          'type-graphql',
          'typeorm',
          'pg',
          'dataloader',
          'jose',
          'tsx',
          'autocannon',
        ].map(async (name): Promise<[string, string]> => [name, await packageVersion(name)]),
      ),
    ),
  };
  const markdown = renderReport({
    ...results,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
    startedAt,
    finishedAt: new Date(),
    environment,
    options,
    persons: options.persons,
  });
  await writeFile(path.resolve(root, options.out), markdown);
  console.log(`\n${markdown}`);
  log(`written to ${options.out}`);
} catch (error) {
  console.error(`[bench] failed: ${(error as Error).stack ?? String(error)}`);
  await shutdown(1);
}
await shutdown(0);

/**
 * `npm start`: PostgreSQL (embedded unless DATABASE_URL is set), one migrated database per subgraph, demo
 * data when empty, then the five subgraphs and the gateway as separate processes, each run from the same
 * entry point a deployment runs (`subgraphs/main.ts <name>`, `gateway/main.ts`). Ctrl-C stops everything.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import path from 'node:path';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import { loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { openSubgraphDatabase } from '../common/subgraph/runtime.js';
import { seedDemo, progressBar, type SeedTargets } from '../seed/seed-demo.js';
import { ensureConsoleBuilt } from './build-console.js';
import { ensureExplorerBuilt } from './build-explorer.js';
import { demoPersonId } from '../seed/world.js';
import { prepareDatabases } from './databases.js';
import { DEFAULT_LIVENESS, LivenessWatch, type ProbeResult } from './liveness.js';
import { describeDecision, describeExit, RestartPolicy } from './restarts.js';

const DEMO_PERSONS = 300;
const DEMO_SEED = 1;
const root = path.resolve(import.meta.dirname, '..');
const config = loadConfigOrExit();
const log = (line: string) => console.log(`[verbund] ${line}`);
/**
 * The environment npm start was given, kept before anything in this process can change it: every part starts
 * (and restarts) with it. Vite's build of the explorer, in this process, sets NODE_ENV=production while it runs.
 */
const startEnvironment: NodeJS.ProcessEnv = { ...process.env };

const devKey = config.jwksUrl ? undefined : await loadOrCreateDevKey(config.dataDir);
const { server, databases, definitions } = await prepareDatabases(config, log);
/** A process `npm start` runs: one of the five subgraphs, or the gateway. */
type Part = SubgraphName | 'gateway';
const children = new Map<Part, ChildProcess>();
let stopping = false;
const restartTimers = new Set<NodeJS.Timeout>();
let hubStarted = false;

/** How long a part may take to stop on SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

/** Stops one child: SIGTERM (and SIGCONT, should it be stopped), then SIGKILL after the grace period. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    // A child that already ended has exitCode or (killed by a signal) signalCode set; 'exit' will not come again.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
    child.kill('SIGCONT');
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  {
    stopping = true;
    log('stopping');
    for (const timer of restartTimers) clearTimeout(timer);
    // The gateway first, so that no new request reaches a subgraph that is stopping.
    const gatewayChild = children.get('gateway');
    if (gatewayChild) await stopChild(gatewayChild);
    await Promise.all([...children.values()].map(stopChild));
    await server.stop();
  }
  process.exit(code);
}
/** `/health/ready` runs its checks one after another, each within 2 s: it gets longer than `/health/live`. */
const READY_PROBE_TIMEOUT_MS = 5_000;

/** GETs a health path of a part; the parsed JSON body, or undefined when nothing readable came back within `timeoutMs`. */
function probe(url: URL, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const request = get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve(undefined);
    }, timeoutMs);
    request.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/**
 * Probes a running subgraph every few seconds (`scripts/liveness.ts`): one that stops answering `/health/live`
 * is killed, and its exit handler restarts it with the usual back-off; readiness changes are only logged.
 * Returns how the launcher describes the kill, asked by the exit handler.
 */
function watchChild(name: Part, child: ChildProcess): () => string | undefined {
  const watch = new LivenessWatch(describePart(name));
  const base = partUrl(name);
  let killed = false;
  let timer: NodeJS.Timeout | undefined;
  const ended = () => stopping || child.exitCode !== null || child.signalCode !== null;
  const tick = async () => {
    const live = (await probe(new URL('/health/live', base), DEFAULT_LIVENESS.timeoutMs)) !== undefined;
    const ready = live
      ? ((await probe(new URL('/health/ready', base), READY_PROBE_TIMEOUT_MS)) as ProbeResult['ready'])
      : undefined;
    if (ended()) return;
    const verdict = watch.observe({ live, ready });
    for (const line of verdict.lines) log(line);
    if (verdict.kill) {
      killed = true;
      // SIGKILL ends a stopped (SIGSTOP) process too; the exit handler then restarts it.
      child.kill('SIGKILL');
      return;
    }
    timer = setTimeout(() => void tick(), DEFAULT_LIVENESS.intervalMs);
  };
  timer = setTimeout(() => void tick(), DEFAULT_LIVENESS.intervalMs);
  child.once('exit', () => clearTimeout(timer));
  return () => (killed ? watch.killReason : undefined);
}

function describePart(name: Part): string {
  return name === 'gateway' ? 'gateway' : `${name} subgraph`;
}

/** Where a part answers GraphQL (and, beside it, `/health/*`). */
function partUrl(name: Part): string {
  return name === 'gateway' ? `http://localhost:${config.port}/graphql` : config.subgraphUrls[name];
}

/** How a part is started: its entry point, its arguments and what it needs beyond this process's environment. */
function launch(name: Part): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (name === 'gateway') {
    return {
      file: 'gateway/main.ts',
      args: [],
      env: { EXPLORER_EXAMPLE_PERSON: demoPersonId(DEMO_SEED, 0) },
    };
  }
  return {
    file: 'subgraphs/main.ts',
    args: [name],
    env: { [`${name.toUpperCase()}_DATABASE_URL`]: databases[name].roleUrl },
  };
}

/**
 * Starts one part's process and resolves once it listens. A subgraph that stops later is restarted with
 * back-off while the others keep serving (the gateway reports it SUBGRAPH_UNAVAILABLE meanwhile), and so
 * is one that hangs (no answer to `/health/live`, see `watchChild`); after
 * too many starts in a short time the launcher gives up and stops everything, the database included.
 */
function startChild(name: Part, policy = new RestartPolicy()): Promise<void> {
  policy.started(Date.now());
  const { file, args, env } = launch(name);
  const child = fork(path.join(root, file), args, {
    execArgv: ['--import', 'tsx'],
    env: { ...startEnvironment, ...env },
  });
  children.set(name, child);
  return new Promise<void>((resolve, reject) => {
    let ready = false;
    let killReason: () => string | undefined = () => undefined;
    child.once('message', () => {
      ready = true;
      killReason = watchChild(name, child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const exit = killReason() ?? describeExit(code, signal);
      if (!ready && !hubStarted) {
        // Still starting the hub: a subgraph that cannot start is a start-up failure, not something to retry.
        return reject(new Error(`The ${describePart(name)} stopped during start-up (${exit})`));
      }
      const decision = policy.stopped(Date.now());
      log(describeDecision(describePart(name), exit, decision));
      if (!decision.restart) return void shutdown(1);
      const timer = setTimeout(() => {
        restartTimers.delete(timer);
        if (stopping) return;
        startChild(name, policy).then(
          () => log(`${describePart(name)} restarted at ${partUrl(name)}`),
          (error: unknown) => log(`the ${describePart(name)} could not be restarted: ${(error as Error).message}`),
        );
      }, decision.delayMs);
      restartTimers.add(timer);
    });
  });
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const county = await openSubgraphDatabase(definitions.county, databases.county.roleUrl, { poolSize: 1 });
  const [{ n }] = await county.query<{ n: number }[]>('SELECT count(*)::int AS n FROM person');
  await county.destroy();
  if (n === 0) {
    log(`seeding the demo district with ${DEMO_PERSONS} persons`);
    const targets: SeedTargets = {};
    for (const name of SUBGRAPHS) {
      targets[name] = {
        definition: definitions[name],
        db: await openSubgraphDatabase(definitions[name], databases[name].roleUrl, { poolSize: 2 }),
      };
    }
    try {
      await seedDemo(targets, {
        seed: DEMO_SEED,
        from: 0,
        to: DEMO_PERSONS,
        batchSize: 100,
        onProgress: progressBar('persons'),
      });
    } finally {
      for (const target of Object.values(targets)) await target.db.destroy();
    }
  }

  for (const name of SUBGRAPHS) {
    await startChild(name);
    log(`${name} subgraph at ${config.subgraphUrls[name]}`);
  }

  // Built before the gateway starts: it serves the console (and the explorer) when their pages are there.
  await ensureConsoleBuilt(log);
  if (config.explorer) await ensureExplorerBuilt(log);
  await startChild('gateway');
  hubStarted = true;
} catch (error) {
  console.error(`[verbund] start failed: ${(error as Error).message}`);
  await shutdown(1);
}

log(
  `gateway ready at http://localhost:${config.port}/graphql${config.environment === 'development' ? ' (Apollo Sandbox in a browser)' : ''}`,
);
if (config.explorer) log(`explorer (GraphiQL, works offline) at http://localhost:${config.port}/explorer/`);
if (devKey) {
  const token = await issueDevToken(devKey.privateKey, {
    officer: 'j.meyer',
    agency: 'jobcenter',
    roles: ['CASEWORKER'],
    issuer: config.jwtIssuer,
  });
  log('development token (jobcenter caseworker, 8 h); send it with a purpose:');
  console.log(`\n  Authorization: Bearer ${token}\n  X-Purpose: JOB_PLACEMENT\n`);
  log('more tokens: npm run token -- --agency county --officer a.schulz --role CONSENT_OFFICER');
  log(`console (consent officers; analysts: monitoring): http://localhost:${config.port}/console/`);
}
if (config.oidc) {
  log(
    `console (consent officers; analysts: monitoring): http://localhost:${config.port}/console/ (sign-in at ${config.oidc.issuer} as client ${config.oidc.clientId})`,
  );
}

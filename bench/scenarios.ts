import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import type { TokenVerifier } from '../common/auth/token.js';
import {
  CASELOAD_SEED,
  CASELOAD_SIZES,
  consentToCaseload,
  countCaseloadStatements,
  warmCaseload,
  type CaseloadCount,
  type CaseloadTokens,
} from './caseload.js';
import { startCountingHub } from './counting-hub.js';
import { backendCpuBetween, embeddedPostgresCpuSeconds, processCpuSeconds, serverBackendCpuSeconds } from './cpu.js';
import type { Deployment } from './deployments.js';
import { postGraphQL } from './graphql.js';
import { drive, type LoadRequest, type LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import type { RecordedStatement } from './plans.js';
import { CALLERS, PERSON_VIEW, RECORD_EMPLOYMENT } from './queries.js';

/** What the load scenarios share. */
export interface ScenarioContext {
  options: BenchOptions;
  hub: Deployment;
  baseline: Deployment;
  tokens: CaseloadTokens;
  /** Persons with a jobcenter consent to their language skills in force: the person view picks from these. */
  consented: string[];
  /** Every seeded person: the writes pick from these. */
  persons: string[];
  /** An external server's administrative URL and the hub's database prefix, to count its backends' CPU time. */
  server?: { adminUrl: string; prefix: string };
  log(line: string): void;
}

/** CPU seconds one part used during a measured run. */
export interface CpuShare {
  /** `gateway`, a subgraph's name, `PostgreSQL` or `load generator`. */
  part: string;
  seconds: number;
}

/** A measured load run and the CPU time each part of the system under test spent on it. */
export interface MeasuredRun extends LoadResult {
  cpu: CpuShare[];
}

/** The same load against the hub and against the baseline. */
export interface Compared {
  hub: MeasuredRun;
  baseline: MeasuredRun;
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/** A JSON body with the query serialised once and a fresh variable per request. */
function bodyWith(query: string, variables: () => Record<string, unknown>): () => string {
  const head = `{"query":${JSON.stringify(query)},"variables":`;
  return () => `${head}${JSON.stringify(variables())}}`;
}

function asJobcenter(ctx: ScenarioContext): Record<string, string> {
  return { authorization: `Bearer ${ctx.tokens.jobcenter}`, 'x-purpose': CALLERS.jobcenter.purpose };
}

/** The person view of a random consented person; a body without the name or the released languages fails. */
export function personViewRequest(ctx: ScenarioContext, persons = ctx.consented): LoadRequest {
  return {
    headers: asJobcenter(ctx),
    body: bodyWith(PERSON_VIEW, () => ({ id: pick(persons) })),
    verify: (body) => body.includes('"givenName":"') && body.includes('"languages":['),
  };
}

/** CPU seconds so far of each process of a deployment, of embedded PostgreSQL and of this process. */
function cpuNow(deployment: Deployment, withPostgres: boolean): CpuShare[] {
  const shares = deployment.processes.map((p) => ({
    part: p.label.split(' ').slice(1).join(' '),
    seconds: processCpuSeconds(p.pid),
  }));
  const postgres = withPostgres ? embeddedPostgresCpuSeconds() : undefined;
  if (postgres !== undefined) shares.push({ part: 'PostgreSQL', seconds: postgres });
  shares.push({ part: 'load generator', seconds: processCpuSeconds(process.pid) });
  return shares;
}

/**
 * Warms up (unmeasured), then measures, also counting the CPU time every part spends: on a shared machine
 * CPU time per request varies far less than requests per second. PostgreSQL counts for the hub only (the
 * baseline has no database): the embedded server whole, or an external server's backends of the hub's
 * databases (when it runs on this machine).
 */
export async function measure(
  ctx: ScenarioContext,
  label: string,
  deployment: Deployment,
  request: LoadRequest,
  overallRate?: number,
  connections = ctx.options.connections,
): Promise<MeasuredRun> {
  const load = { url: deployment.gatewayUrl, connections, overallRate };
  const withPostgres = deployment === ctx.hub;
  if (ctx.options.warmup > 0) await drive({ ...load, duration: ctx.options.warmup }, request);
  const server = withPostgres ? ctx.server : undefined;
  const backendsBefore = server && (await serverBackendCpuSeconds(server.adminUrl, server.prefix));
  const before = cpuNow(deployment, withPostgres);
  const measured = await drive({ ...load, duration: ctx.options.duration }, request);
  const cpu = cpuNow(deployment, withPostgres).map((after, i) => ({
    part: after.part,
    seconds: after.seconds - before[i].seconds,
  }));
  if (server && backendsBefore && !cpu.some((share) => share.part === 'PostgreSQL')) {
    const backends = backendCpuBetween(backendsBefore, await serverBackendCpuSeconds(server.adminUrl, server.prefix));
    cpu.splice(cpu.length - 1, 0, { part: 'PostgreSQL', seconds: backends });
  }
  const result = { ...measured, cpu };
  ctx.log(
    `${label}: ${result.requestsPerSecond.toFixed(1)} requests/s, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms` +
      (result.errors + result.non2xx + result.mismatches
        ? ` (errors ${result.errors}, non-2xx ${result.non2xx}, mismatches ${result.mismatches})`
        : ''),
  );
  return result;
}

async function compare(
  ctx: ScenarioContext,
  label: string,
  request: LoadRequest,
  overallRate?: number,
): Promise<Compared> {
  const baseline = await measure(ctx, `${label}, baseline`, ctx.baseline, request, overallRate);
  const hub = await measure(ctx, `${label}, hub`, ctx.hub, request, overallRate);
  return { hub, baseline };
}

/**
 * Before the first measured run, each deployment serves person views for three warm-up periods: every
 * process's code paths get compiled by V8 and its pools filled, so that the first scenario does not measure
 * a cold hub (six processes to warm) against a cold baseline (whose code is far smaller).
 */
export async function prime(ctx: ScenarioContext): Promise<void> {
  const seconds = 3 * ctx.options.warmup;
  if (seconds === 0) return;
  ctx.log(`priming both deployments with ${seconds} s of person views each`);
  for (const deployment of [ctx.baseline, ctx.hub]) {
    await drive(
      { url: deployment.gatewayUrl, connections: ctx.options.connections, duration: seconds },
      personViewRequest(ctx),
    );
  }
}

/** Scenarios 1 and 2: the person view as fast as possible, or at a constant offered rate. */
export function personView(ctx: ScenarioContext, overallRate?: number): Promise<Compared> {
  return compare(
    ctx,
    overallRate ? `person view at ${overallRate} requests/s` : 'person view',
    personViewRequest(ctx),
    overallRate,
  );
}

/** Scenario 5: the jobcenter records an employment status of a random person. */
export function writes(ctx: ScenarioContext): Promise<Compared> {
  const since = new Date().toISOString().slice(0, 10);
  return compare(ctx, 'recordEmploymentStatus', {
    headers: asJobcenter(ctx),
    body: bodyWith(RECORD_EMPLOYMENT, () => ({ id: pick(ctx.persons), input: { status: 'SEEKING', since } })),
    verify: (body) => body.includes('"recordEmploymentStatus":{"id":"'),
  });
}

/** Memory of one process during the soak run: live heap after a forced collection, and resident memory. */
export interface MemorySample {
  label: string;
  /** Heap in use right after a full collection, after the warm-up and at the end, KiB: the judged figure. */
  heapStartKiB: number;
  heapEndKiB: number;
  /** The same every 60 s. */
  heapSeries: number[];
  /** Resident memory (RSS): V8's committed heap swings it, so it is shown, not judged. */
  startKiB: number;
  endKiB: number;
  maxKiB: number;
  /** Every RSS sample, 10 s apart. */
  series: number[];
}

export interface SoakResult {
  load: LoadResult;
  memory: MemorySample[];
}

/**
 * Scenario 6: the person view for `--soak` seconds. Memory is read after the warm-up, so that start-up
 * growth (compiled code, caches filling) does not count as growth under load: the heap each process uses
 * right after a full collection (its live data; every part runs with `--expose-gc` and
 * `bench/heap-probe.ts`) at the start, every 60 s and at the end, and resident memory every 10 s.
 */
export async function soak(ctx: ScenarioContext): Promise<SoakResult> {
  const request = personViewRequest(ctx);
  const load = { url: ctx.hub.gatewayUrl, connections: ctx.options.connections };
  if (ctx.options.warmup > 0) await drive({ ...load, duration: ctx.options.warmup }, request);
  const memory: MemorySample[] = [];
  for (const running of ctx.hub.processes) {
    const rss = await running.rssKiB();
    const heap = await running.heapAfterGcKiB();
    memory.push({
      label: running.label,
      heapStartKiB: heap,
      heapEndKiB: heap,
      heapSeries: [heap],
      startKiB: rss,
      endKiB: rss,
      maxKiB: rss,
      series: [rss],
    });
  }
  const sampleResident = async () => {
    for (const [i, running] of ctx.hub.processes.entries()) {
      const rss = await running.rssKiB();
      memory[i].endKiB = rss;
      memory[i].maxKiB = Math.max(memory[i].maxKiB, rss);
      memory[i].series.push(rss);
    }
  };
  const sampleHeap = async () => {
    for (const [i, running] of ctx.hub.processes.entries()) {
      const heap = await running.heapAfterGcKiB();
      memory[i].heapEndKiB = heap;
      memory[i].heapSeries.push(heap);
    }
  };
  const residentTimer = setInterval(() => void sampleResident().catch(() => {}), 10_000);
  const heapTimer = setInterval(() => void sampleHeap().catch(() => {}), 60_000);
  let result: LoadResult;
  try {
    result = await drive({ ...load, duration: ctx.options.soak }, request);
  } finally {
    clearInterval(residentTimer);
    clearInterval(heapTimer);
  }
  await sampleResident();
  await sampleHeap();
  ctx.log(`soak: ${result.requestsPerSecond.toFixed(1)} requests/s over ${ctx.options.soak} s`);
  return { load: result, memory };
}

/** Scenario 3's figures: statements per subgraph per caseload request at each size, and for one person view. */
export interface CaseloadScenarioResult {
  sizes: (CaseloadCount & { seeded: number })[];
  personView: Record<SubgraphName, number>;
  /** The statements of the largest caseload and of the person view, for EXPLAIN on the hub's data. */
  statements: RecordedStatement[];
}

/**
 * Scenario 3, on its own in-process hub over its own databases: grows the district from 10 to 100 to 1000
 * persons and counts each subgraph's statements for one caseload request at each size, with consents for
 * every listed person so that every subgraph reads its tables. Also counts one person view.
 */
export async function caseloadStatements(options: {
  adminUrl: string;
  prefix: string;
  verifier: TokenVerifier;
  tokens: CaseloadTokens;
  log(line: string): void;
}): Promise<CaseloadScenarioResult> {
  const hub = await startCountingHub({ ...options, seed: CASELOAD_SEED });
  try {
    const consented = new Set<string>();
    const sizes: CaseloadScenarioResult['sizes'] = [];
    for (const seeded of CASELOAD_SIZES) {
      await hub.grow(seeded);
      await consentToCaseload(hub.gatewayUrl, options.tokens, consented);
      await warmCaseload(hub, options.tokens);
      const count = await hub.record(`caseload (${seeded} persons)`, () =>
        countCaseloadStatements(hub, options.tokens),
      );
      options.log(
        `caseload with ${seeded} persons seeded (${count.persons} listed): ${SUBGRAPHS.map((n) => `${n} ${count.statements[n]}`).join(', ')}`,
      );
      sizes.push({ seeded, ...count });
    }
    const before = hub.statements();
    // Some fields are refused (education needs a consent this one does not give): the data is what counts.
    const view = await hub.record('person view', () =>
      postGraphQL<{ person: { givenName: string | null } | null }>(hub.gatewayUrl, {
        token: options.tokens.jobcenter,
        purpose: CALLERS.jobcenter.purpose,
        query: PERSON_VIEW,
        variables: { id: [...consented][0] },
      }),
    );
    if (!view.data?.person?.givenName) throw new Error(`The person view failed: ${JSON.stringify(view.errors)}`);
    const after = hub.statements();
    const personView = Object.fromEntries(SUBGRAPHS.map((n) => [n, after[n] - before[n]])) as Record<
      SubgraphName,
      number
    >;
    const largest = `caseload (${CASELOAD_SIZES.at(-1)} persons)`;
    return {
      sizes,
      personView,
      statements: hub.recorded().filter((s) => s.request === largest || s.request === 'person view'),
    };
  } finally {
    await hub.stop();
  }
}

import { SUBGRAPHS } from '../common/domain.js';
import { CASELOAD_SEED, CASELOAD_SIZES } from './caseload.js';
import type { LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import type { StatementPlan } from './plans.js';
import type { CaseloadScenarioResult, Compared, MeasuredRun, SoakResult } from './scenarios.js';
import type { TimelineResult } from './timeline.js';
import { validityLine, type RunValidity } from './validity.js';

/** Where and with what the benchmark ran. */
export interface Environment {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average before and after the run: a busy machine makes the figures noisy. */
  loadBefore: number;
  loadAfter: number;
  node: string;
  platform: string;
  postgres: string;
  database: 'embedded' | 'external (DATABASE_URL)';
  poolSize: number;
  versions: Record<string, string>;
}

/** A scenario that threw instead of finishing. */
export interface Failed {
  failed: string;
}

/** Everything one `npm run bench` measured; a scenario left out by `--only` is undefined. */
export interface RunReport {
  command: string;
  startedAt: Date;
  finishedAt: Date;
  environment: Environment;
  options: BenchOptions;
  persons: number;
  consented: number;
  personView?: Compared | Failed;
  constantRate?: Compared | Failed;
  caseload?: CaseloadScenarioResult | Failed;
  timeline?: TimelineResult | Failed;
  writes?: Compared | Failed;
  soak?: SoakResult | Failed;
  /** EXPLAIN ANALYZE of scenario 3's statements on the hub's data. */
  plans?: StatementPlan[] | Failed;
  /** Whether the measured hub's logs and checkpoints show it did all its work (undefined: no hub ran). */
  validity?: RunValidity | Failed;
}

type Verdict = 'met' | 'missed' | 'reported' | 'pending' | 'failed' | 'not run';

interface Row {
  scenario: string;
  figure: string;
  hub: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: Verdict;
}

const rps = (r: LoadResult) => r.requestsPerSecond.toFixed(0);
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');
const mib = (kib: number) => (kib / 1024).toFixed(1);
const change = (m: { startKiB: number; endKiB: number }) => (m.endKiB - m.startKiB) / m.startKiB;
const heapChange = (m: { heapStartKiB: number; heapEndKiB: number }) =>
  (m.heapEndKiB - m.heapStartKiB) / m.heapStartKiB;
const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`;

function isFailed(value: unknown): value is Failed {
  return typeof value === 'object' && value !== null && 'failed' in value;
}

/** A load run whose responses were not all good does not meet its target, whatever its figures. */
function clean(r: LoadResult): boolean {
  return r.requests > 0 && r.errors === 0 && r.non2xx === 0 && r.mismatches === 0;
}

function placeholder(scenario: string, figure: string, target: string, value: unknown): Row | undefined {
  if (value === undefined) return { scenario, figure, hub: '–', baseline: '–', ratio: '–', target, verdict: 'not run' };
  if (isFailed(value))
    return { scenario, figure, hub: `failed: ${value.failed}`, baseline: '–', ratio: '–', target, verdict: 'failed' };
  return undefined;
}

function rows(report: RunReport): Row[] {
  const o = report.options;
  const result: Row[] = [];

  const s1 = {
    scenario: '1. person view across the four data subgraphs, jobcenter caseworker with consent, random persons',
    figure: 'requests/s',
    target: 'ratio ≥ 0.3 (beyond: 0.5)',
  };
  const p1 = report.personView;
  result.push(
    placeholder(s1.scenario, s1.figure, s1.target, p1) ??
      (() => {
        const c = p1 as Compared;
        const ratio = c.hub.requestsPerSecond / c.baseline.requestsPerSecond;
        return {
          ...s1,
          hub: rps(c.hub),
          baseline: rps(c.baseline),
          ratio: ratio.toFixed(2),
          verdict: ratio >= 0.3 && clean(c.hub) ? 'met' : 'missed',
        };
      })(),
  );

  const s1cpu = {
    scenario: '1. the same, CPU per person view of all parts (PostgreSQL included)',
    figure: 'ms of CPU per request',
    target: 'baseline / hub ≥ 0.3',
  };
  result.push(
    placeholder(s1cpu.scenario, s1cpu.figure, s1cpu.target, p1) ??
      (() => {
        const c = p1 as Compared;
        const hub = cpuPerRequest(c.hub);
        const baseline = cpuPerRequest(c.baseline);
        const ratio = baseline / hub;
        const counted = Number.isFinite(ratio) && c.hub.cpu.some((share) => share.part === 'PostgreSQL');
        return {
          ...s1cpu,
          hub: Number.isFinite(hub) ? hub.toFixed(2) : '–',
          baseline: Number.isFinite(baseline) ? baseline.toFixed(2) : '–',
          ratio: Number.isFinite(ratio) ? ratio.toFixed(2) : '–',
          verdict: counted ? (ratio >= 0.3 && clean(c.hub) ? 'met' : 'missed') : 'not run',
        };
      })(),
  );

  const s2 = {
    scenario: `2. same, at a constant offered load of ${o.rate} requests/s`,
    figure: 'p99 latency (achieved requests/s)',
    target: 'p99 ≤ 50 ms',
  };
  const p2 = report.constantRate;
  result.push(
    placeholder(s2.scenario, s2.figure, s2.target, p2) ??
      (() => {
        const c = p2 as Compared;
        const kept = c.hub.requestsPerSecond >= 0.95 * o.rate;
        return {
          ...s2,
          hub: `${ms(c.hub.p99)} (${rps(c.hub)})`,
          baseline: `${ms(c.baseline.p99)} (${rps(c.baseline)})`,
          ratio: '–',
          verdict: c.hub.p99 <= 50 && kept && clean(c.hub) ? 'met' : 'missed',
        };
      })(),
  );

  const s3 = {
    scenario: '3. caseload list of 100 persons with fields from all subgraphs',
    figure: `SQL statements per request, ${SUBGRAPHS.join('/')}, with ${CASELOAD_SIZES.join('/')} persons seeded`,
    target: 'the same for all three sizes (the registry: one lookup while the list fits a signed statement)',
  };
  const p3 = report.caseload;
  result.push(
    placeholder(s3.scenario, s3.figure, s3.target, p3) ??
      (() => {
        const c = p3 as CaseloadScenarioResult;
        const counts = c.sizes.map((size) => SUBGRAPHS.map((n) => size.statements[n]).join('/'));
        // The data subgraphs' counts never change with the size; the registry answers the gateway's one lookup for a
        // list short enough for a signed statement (the 10 persons seeded) and each subgraph's for a list of 100.
        const dataCounts = c.sizes.map((size) =>
          SUBGRAPHS.filter((n) => n !== 'consent')
            .map((n) => size.statements[n])
            .join('/'),
        );
        const lists = c.sizes.slice(1).map((size) => size.statements.consent);
        const same =
          dataCounts.every((count) => count === dataCounts[0]) &&
          lists.every((count) => count === lists[0]) &&
          c.sizes[0].statements.consent <= lists[0];
        return { ...s3, hub: counts.join(' · '), baseline: '–', ratio: '–', verdict: same ? 'met' : 'missed' };
      })(),
  );

  const s4 = {
    scenario: `4. consent officer timeline of one person with ${o.timelineRecords} disclosure records, first page`,
    figure: 'p95 latency for one consent officer (one connection; at full load, 16 connections)',
    target: 'p95 ≤ 50 ms',
  };
  const p4 = report.timeline;
  result.push(
    placeholder(s4.scenario, s4.figure, s4.target, p4) ??
      (() => {
        const t = p4 as TimelineResult;
        if (t.status !== 'measured') return { ...s4, hub: t.note, baseline: '–', ratio: '–', verdict: t.status };
        return {
          ...s4,
          hub: `${ms(t.steady.p95)} (${ms(t.load.p95)} at ${t.load.requestsPerSecond.toFixed(0)} requests/s)`,
          baseline: '–',
          ratio: '–',
          verdict: t.steady.p95 <= 50 && clean(t.steady) && clean(t.load) ? 'met' : 'missed',
        };
      })(),
  );

  const s5 = {
    scenario: '5. writing a record: jobcenter recordEmploymentStatus, random persons',
    figure: 'requests/s',
    target: 'ratio ≥ 0.3',
  };
  const p5 = report.writes;
  result.push(
    placeholder(s5.scenario, s5.figure, s5.target, p5) ??
      (() => {
        const c = p5 as Compared;
        const ratio = c.hub.requestsPerSecond / c.baseline.requestsPerSecond;
        return {
          ...s5,
          hub: rps(c.hub),
          baseline: rps(c.baseline),
          ratio: ratio.toFixed(2),
          verdict: ratio >= 0.3 && clean(c.hub) ? 'met' : 'missed',
        };
      })(),
  );

  const s6 = {
    scenario: `6. person view for ${o.soak} s`,
    figure: 'heap used after a forced GC in every hub process, after the warm-up → end',
    target: 'each within 10 %',
  };
  const p6 = report.soak;
  result.push(
    placeholder(s6.scenario, s6.figure, s6.target, p6) ??
      (() => {
        const s = p6 as SoakResult;
        const worst = s.memory.reduce((a, b) => (Math.abs(heapChange(b)) > Math.abs(heapChange(a)) ? b : a));
        const within = s.memory.every((m) => Math.abs(heapChange(m)) <= 0.1);
        return {
          ...s6,
          hub: `largest change ${percent(heapChange(worst))} (${worst.label})`,
          baseline: '–',
          ratio: '–',
          verdict: within ? 'met' : 'missed',
        };
      })(),
  );

  const run = {
    scenario: 'the run itself',
    figure: 'every log verifies from record 1; checkpoints advanced through the run and were cosigned',
    target: 'valid',
  };
  const validity = report.validity;
  result.push(
    placeholder(run.scenario, run.figure, run.target, validity) ?? {
      ...run,
      hub: (validity as RunValidity).valid ? 'valid' : 'invalid',
      baseline: '–',
      ratio: '–',
      target: 'valid',
      verdict: (validity as RunValidity).valid ? 'met' : 'missed',
    },
  );
  return result;
}

function table(header: string[], body: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function loadRow(label: string, r: LoadResult): string[] {
  return [
    label,
    String(r.requests),
    r.requestsPerSecond.toFixed(1),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    String(r.errors),
    String(r.non2xx),
    String(r.mismatches),
  ];
}

function loadDetails(report: RunReport): string {
  const lines: string[][] = [];
  const add = (label: string, value: Compared | Failed | undefined) => {
    if (!value || isFailed(value)) return;
    lines.push(loadRow(`${label}, baseline`, value.baseline), loadRow(`${label}, hub`, value.hub));
  };
  add('1. person view', report.personView);
  add(`2. person view at ${report.options.rate}/s`, report.constantRate);
  if (report.timeline && !isFailed(report.timeline) && report.timeline.status === 'measured') {
    lines.push(
      loadRow('4. generating disclosure records (person views)', report.timeline.generated),
      loadRow('4. disclosure timeline, one consent officer, hub', report.timeline.steady),
      loadRow('4. disclosure timeline, hub', report.timeline.load),
    );
  }
  add('5. recordEmploymentStatus', report.writes);
  if (report.soak && !isFailed(report.soak)) lines.push(loadRow(`6. soak, hub`, report.soak.load));
  if (!lines.length) return '';
  return `### Load runs\n\n${table(['run', '2xx responses', 'requests/s', 'p50', 'p95', 'p99', 'errors', 'non-2xx', 'bad bodies'], lines)}\n`;
}

/** CPU milliseconds per request of the system under test, the load generator left out. */
/** CPU seconds of every part but the load generator during a run. */
function cpuSeconds(run: MeasuredRun): number {
  return run.cpu.filter((c) => c.part !== 'load generator').reduce((sum, c) => sum + c.seconds, 0);
}

function cpuPerRequest(run: MeasuredRun): number {
  return (cpuSeconds(run) * 1000) / run.requests;
}

function cpuDetails(report: RunReport): string {
  const runs: [string, MeasuredRun][] = [];
  const add = (label: string, value: Compared | Failed | undefined) => {
    if (value && !isFailed(value)) runs.push([`${label}, baseline`, value.baseline], [`${label}, hub`, value.hub]);
  };
  add('1. person view', report.personView);
  add(`2. person view at ${report.options.rate}/s`, report.constantRate);
  add('5. recordEmploymentStatus', report.writes);
  if (!runs.length) return '';
  const parts = [...new Set(runs.flatMap(([, run]) => run.cpu.map((c) => c.part)))];
  const perRequest = (run: MeasuredRun, part: string) => {
    const share = run.cpu.find((c) => c.part === part);
    return share ? ((share.seconds * 1000) / run.requests).toFixed(2) : '–';
  };
  const body = parts.map((part) => [part, ...runs.map(([, run]) => perRequest(run, part))]);
  body.push(['**all but the load generator**', ...runs.map(([, run]) => `**${cpuPerRequest(run).toFixed(2)}**`)]);
  const ratios = [report.personView, report.writes]
    .map((value, i) =>
      value && !isFailed(value)
        ? `${i === 0 ? 'person view' : 'write'} ${(cpuPerRequest(value.baseline) / cpuPerRequest(value.hub)).toFixed(2)}`
        : '',
    )
    .filter(Boolean);
  const ratio = ratios.length
    ? ` Baseline CPU per request divided by the hub's (the throughput ratio a CPU-bound machine would show): ${ratios.join(', ')}.`
    : '';
  const offered = report.constantRate && !isFailed(report.constantRate) ? report.constantRate : undefined;
  // What scenario 2's p99 stands on: how much of the machine the parts keep busy at the offered rate.
  const busy = (run: MeasuredRun) => cpuSeconds(run) / run.seconds;
  const load = offered
    ? ` At ${report.options.rate} requests/s offered (scenario 2) the hub's parts kept ${busy(offered.hub).toFixed(2)} of the machine's ${report.environment.cpus} CPUs busy on average, the baseline's ${busy(offered.baseline).toFixed(2)}: the closer that comes to the number of CPUs, the longer each request waits for one, and p99 grows with that wait.`
    : '';
  return `### CPU time per request, ms (user + system, from /proc)

${table(['part', ...runs.map(([label]) => label)], body)}

On a machine shared with other work, requests per second move with the neighbours' load; CPU time per request
moves far less.${ratio} PostgreSQL is the embedded server whole, or an external server's backends serving
the hub's databases (here: ${report.environment.database === 'embedded' ? 'embedded' : "external, its backends' time"}).${load}
`;
}

function caseloadDetails(report: RunReport): string {
  const c = report.caseload;
  if (!c || isFailed(c)) return '';
  const body = c.sizes.map((s) => [
    `caseload, ${s.seeded} persons seeded (${s.persons} listed)`,
    ...SUBGRAPHS.map((n) => String(s.statements[n])),
  ]);
  body.push(['one person view (for comparison)', ...SUBGRAPHS.map((n) => String(c.personView[n]))]);
  return `### SQL statements per request (scenario 3)

Counted by each subgraph's TypeORM logger on an in-process hub over databases of its own (seed ${CASELOAD_SEED}),
grown from ${CASELOAD_SIZES.join(' to ')} persons; every listed person has a consent that lets the jobcenter see their
language skills, housing and social care, so that every subgraph reads its tables.

${table(['request', ...SUBGRAPHS], body)}
`;
}

function planDetails(report: RunReport): string {
  const plans = report.plans;
  if (!plans) return '';
  if (isFailed(plans)) return `### Query plans\n\nEXPLAIN failed: ${plans.failed}\n`;
  const seen = new Set<string>();
  const body: string[][] = [];
  for (const plan of plans) {
    const key = `${plan.request}|${plan.subgraph}|${plan.statement}|${plan.scans.join()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    body.push([
      plan.request,
      plan.subgraph,
      plan.statement,
      plan.scans.join('; ') || '(no scan)',
      Number.isFinite(plan.milliseconds) ? `${plan.milliseconds.toFixed(2)} ms` : 'planned only (writes)',
    ]);
  }
  return `### Query plans (EXPLAIN ANALYZE on the hub's ${report.persons} persons)

Every statement of scenario 3's largest caseload and of one person view, as the subgraphs sent them, with the
person ids mapped to the persons of the same index in the hub's district. Each runs as the subgraph's own role in
a read-only transaction that is rolled back; a statement that writes (a disclosure record's append) is refused
there before it runs and is only planned, so the measured hub's logs stay as they were.

${table(['request', 'subgraph', 'statement (tables by columns)', 'scans', 'execution'], body)}
`;
}

function memoryDetails(report: RunReport): string {
  const s = report.soak;
  if (!s || isFailed(s)) return '';
  const half = (series: number[], second: boolean) => {
    const middle = Math.ceil(series.length / 2);
    return Math.max(...(second ? series.slice(middle) : series.slice(0, middle)));
  };
  const body = s.memory.map((m) => [
    m.label,
    mib(m.startKiB),
    mib(m.endKiB),
    percent(change(m)),
    mib(half(m.series, false)),
    mib(half(m.series, true)),
    m.series.map(mib).join(' '),
  ]);
  const heap = s.memory.map((m) => [
    m.label,
    mib(m.heapStartKiB),
    mib(m.heapEndKiB),
    percent(heapChange(m)),
    m.heapSeries.map(mib).join(' '),
  ]);
  return `### Memory during the soak run (scenario 6), MiB

Heap used right after a forced full collection (every part runs with \`--expose-gc\`; the benchmark asks it
through \`bench/heap-probe.ts\`): the live data, read after the warm-up, every 60 s and at the end. This is
the judged figure.

${table(['process', 'start', 'end', 'start → end', 'every 60 s'], heap)}

Resident memory (RSS), every 10 s, shown but not judged: it includes what V8 keeps committed after a
collection, which swings with the load. A heap that the garbage collector lets grow and then shrinks shows as a
saw-tooth whose peaks stay level; a leak shows as live heap that keeps rising.

${table(['process', 'start', 'end', 'start → end', 'peak, first half', 'peak, second half', 'every 10 s'], body)}
`;
}

/** The results as Markdown: the scenario table with targets, then the details behind each figure. */
export function renderReport(report: RunReport): string {
  const e = report.environment;
  const o = report.options;
  const minutes = ((report.finishedAt.getTime() - report.startedAt.getTime()) / 60_000).toFixed(1);
  return `# Benchmark results

\`${report.command}\`, ${report.startedAt.toISOString()}, ${minutes} min.

**${validityLine(report.validity)}**

- Machine: ${e.cpus} CPUs (${e.cpuModel}), ${e.memoryGiB.toFixed(1)} GiB, ${e.platform}; 1-minute load average ${e.loadBefore.toFixed(2)} before, ${e.loadAfter.toFixed(2)} after.
- Versions: Node ${e.node}, PostgreSQL ${e.postgres} (${e.database}), ${Object.entries(e.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}.
- Load: autocannon, ${o.connections} connections, ${o.duration} s per measured run after ${o.warmup} s of warm-up (and, before the first, ${3 * o.warmup} s of person views for each deployment); the hub and the baseline get the same requests. Scenario 2 is offered open loop instead: one request every ${(1000 / o.rate).toFixed(0)} ms, each sent when due whatever is still unanswered, its latency counted from when it was due.
- Code: every part runs compiled JavaScript (\`tsc -p tsconfig.bench.json\`, as \`npm run build\` compiles a deployment), with \`NODE_ENV=production\`.
- Hub: ${report.persons} seeded persons (seed ${o.seed}), consents, full enforcement, every part its own process, pool of ${e.poolSize} connections per subgraph. The person views pick from the ${report.consented} persons whose consent lets the jobcenter see their language skills (read from the consent database).
- Baseline: the same five subgraph schemas (\`schema/<name>.graphql\`) answering from memory for the same ${report.persons} persons, no authentication, consent or logging, behind the same gateway configuration (\`startGatewayServer\`).

${table(
  ['scenario', 'figure', 'hub', 'baseline', 'hub / baseline', 'target', 'result'],
  rows(report).map((r) => [r.scenario, r.figure, r.hub, r.baseline, r.ratio, r.target, r.verdict]),
)}

${[loadDetails(report), cpuDetails(report), caseloadDetails(report), planDetails(report), memoryDetails(report)].filter(Boolean).join('\n')}
Latencies are measured per response by the load generator, which shares the machine with everything else. In the
hub's person view, housing (and mostly social care) comes back \`null\` with a \`CONSENT_REQUIRED\` error, as no
consent covers it; the baseline returns every field. "Bad bodies" counts 2xx responses without the expected data.
`;
}

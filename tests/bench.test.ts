import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { OptionError, parseBenchOptions } from '../bench/options.js';
import { renderReport, type RunReport } from '../bench/report.js';
import type { MeasuredRun } from '../bench/scenarios.js';
import { hasDisclosureTimeline, TIMELINE_PENDING } from '../bench/timeline.js';
import { judgeRun, type LogCheck } from '../bench/validity.js';

function run(requestsPerSecond: number, p99 = 10, extra: Partial<MeasuredRun> = {}): MeasuredRun {
  return {
    requests: requestsPerSecond * 20,
    seconds: 20,
    requestsPerSecond,
    p50: p99 / 2,
    p95: p99 * 0.9,
    p99,
    errors: 0,
    non2xx: 0,
    mismatches: 0,
    cpu: [],
    ...extra,
  };
}

function report(parts: Partial<RunReport>): RunReport {
  return {
    command: 'npm run bench',
    startedAt: new Date(0),
    finishedAt: new Date(60_000),
    environment: {
      cpus: 2,
      cpuModel: 'test',
      memoryGiB: 1,
      loadBefore: 0,
      loadAfter: 0,
      node: 'v20',
      platform: 'test',
      postgres: '18',
      database: 'embedded',
      poolSize: 10,
      versions: {},
    },
    options: parseBenchOptions([]),
    persons: 10_000,
    consented: 5000,
    ...parts,
  };
}

/** The result column of the scenario row that starts with `number.`. */
function verdict(markdown: string, number: number): string {
  const row = markdown.split('\n').find((line) => line.startsWith(`| ${number}. `))!;
  return row.split(' | ').at(-1)!.replace(/ \|$/, '');
}

describe('npm run bench', () => {
  it("takes the issue's defaults and refuses flags it does not know", () => {
    const options = parseBenchOptions([]);
    assert.equal(options.duration, 20);
    assert.equal(options.persons, 10_000);
    assert.equal(options.connections, 16);
    assert.equal(options.soak, 300);
    assert.deepEqual([...options.only], [1, 2, 3, 4, 5, 6]);
    assert.equal(parseBenchOptions(['--duration', '3', '--persons', '2000']).duration, 3);
    assert.throws(() => parseBenchOptions(['--persons', '10']), OptionError);
    assert.throws(() => parseBenchOptions(['--only', '7']), OptionError);
    assert.throws(() => parseBenchOptions(['--fast']), OptionError);
  });

  it('marks each target met or missed from the figures', () => {
    const counts = { county: 2, municipality: 2, jobcenter: 4, socialcare: 4, consent: 3 };
    const met = renderReport(
      report({
        personView: { hub: run(60), baseline: run(100) },
        constantRate: { hub: run(100, 40), baseline: run(100, 5) },
        caseload: {
          sizes: [10, 100, 1000].map((seeded) => ({ seeded, persons: 7, statements: counts })),
          personView: counts,
          statements: [],
        },
        timeline: { status: 'pending', note: TIMELINE_PENDING },
        writes: { hub: run(80), baseline: run(200) },
        soak: {
          load: run(60),
          memory: [
            {
              label: 'hub gateway',
              heapStartKiB: 40_000,
              heapEndKiB: 43_000,
              heapSeries: [40_000, 43_000],
              // Resident memory is shown, not judged: V8's committed heap swings it.
              startKiB: 100_000,
              endKiB: 150_000,
              maxKiB: 150_000,
              series: [100_000, 150_000],
            },
          ],
        },
      }),
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => verdict(met, n)),
      ['met', 'met', 'met', 'pending', 'met', 'met'],
    );
    assert.match(met, /pending: disclosure log \(#4\) not merged/);

    const missed = renderReport(
      report({
        personView: { hub: run(20), baseline: run(100) },
        constantRate: { hub: run(80, 30), baseline: run(100, 5) },
        caseload: {
          sizes: [10, 100, 1000].map((seeded) => ({ seeded, persons: 7, statements: { ...counts, county: seeded } })),
          personView: counts,
          statements: [],
        },
        soak: {
          load: run(60),
          memory: [
            {
              label: 'hub county',
              heapStartKiB: 40_000,
              heapEndKiB: 48_000,
              heapSeries: [40_000, 48_000],
              startKiB: 100_000,
              endKiB: 100_000,
              maxKiB: 100_000,
              series: [100_000, 100_000],
            },
          ],
        },
      }),
    );
    // 80 of 100 requests/s offered is missed even with a low p99; growing statements and memory are missed.
    assert.deepEqual(
      [1, 2, 3, 6].map((n) => verdict(missed, n)),
      ['missed', 'missed', 'missed', 'missed'],
    );
    assert.deepEqual(
      [4, 5].map((n) => verdict(missed, n)),
      ['not run', 'not run'],
    );
  });

  it("shows scenario 2's CPU per request and how many of the machine's CPUs the parts kept busy", () => {
    const cpu = (seconds: number) => [
      { part: 'gateway', seconds: seconds / 2 },
      { part: 'PostgreSQL', seconds: seconds / 2 },
      { part: 'load generator', seconds: 5 },
    ];
    // 2,000 requests in 20 s: the hub's 32 CPU-seconds are 16 ms per request and 1.60 CPUs busy.
    const markdown = renderReport(
      report({ constantRate: { hub: run(100, 40, { cpu: cpu(32) }), baseline: run(100, 5, { cpu: cpu(4) }) } }),
    );
    const header = markdown.split('\n').find((line) => line.startsWith('| part |'))!;
    assert.equal(header, '| part | 2. person view at 100/s, baseline | 2. person view at 100/s, hub |');
    assert.ok(markdown.includes('| **all but the load generator** | **2.00** | **16.00** |'));
    assert.match(markdown, /kept 1\.60 of the machine's 2 CPUs busy on average, the baseline's 0\.20/);
    // Scenario 2 has no throughput ratio: none is named.
    assert.doesNotMatch(markdown, /Baseline CPU per request divided/);
    // Without scenario 2 the sentence is not there.
    assert.doesNotMatch(renderReport(report({ personView: { hub: run(60), baseline: run(100) } })), /CPUs busy/);
  });

  it('does not count a fast run with bad responses as met', () => {
    const markdown = renderReport(report({ personView: { hub: run(90, 10, { mismatches: 3 }), baseline: run(100) } }));
    assert.equal(verdict(markdown, 1), 'missed');
  });

  describe('judges whether the measured hub did all its work', () => {
    const intact = { intact: true, firstSequence: 1, records: 500, summary: 'county: verified' };
    const good = (subgraph: LogCheck['subgraph']): LogCheck => ({
      subgraph,
      lastSequence: 500,
      checkpoints: 3,
      checkpointSize: 500,
      cosignedBy: ['verbund:consent'],
      verification: intact,
    });
    const all = (change: Partial<LogCheck> = {}) => [
      good('county'),
      good('municipality'),
      { ...good('jobcenter'), ...change },
      good('socialcare'),
    ];

    it('valid when every log verifies from record 1 and cosigned checkpoints cover the run', () => {
      const validity = judgeRun(all(), 60);
      assert.equal(validity.valid, true, validity.reason);
      const markdown = renderReport(report({ validity }));
      assert.match(markdown, /\*\*Run valid: every data subgraph's log verifies from record 1/);
      assert.equal(
        markdown
          .split('\n')
          .find((l) => l.startsWith('| the run itself'))
          ?.endsWith('| met |'),
        true,
      );
    });

    it.each([
      ['a log starting after record 1', { verification: { ...intact, firstSequence: 251 } }, /starts at record 251/],
      ['a log that does not verify', { verification: { ...intact, intact: false, summary: 'broken' } }, /broken/],
      ['a log not verified', { verification: undefined }, /not verified/],
      ['no checkpoint during the run', { checkpoints: 0, checkpointSize: 0, cosignedBy: [] }, /no checkpoint/],
      ['checkpoints behind the last record', { checkpointSize: 400 }, /covers 400 of the run's 500/],
      ['a checkpoint not cosigned', { cosignedBy: [] }, /not cosigned/],
      ['an empty log', { lastSequence: 0, checkpointSize: 0 }, /no records/],
    ])('invalid with %s', (_, change, reason) => {
      const validity = judgeRun(all(change), 60);
      assert.equal(validity.valid, false);
      assert.match(validity.reason, reason);
      const markdown = renderReport(report({ validity }));
      assert.match(markdown, /\*\*Run invalid: jobcenter/);
      assert.equal(
        markdown
          .split('\n')
          .find((l) => l.startsWith('| the run itself'))
          ?.endsWith('| missed |'),
        true,
      );
    });

    it('says so when the check itself failed or no hub ran', () => {
      assert.match(
        renderReport(report({ validity: { failed: 'timeout' } })),
        /\*\*Run invalid: the check itself failed: timeout/,
      );
      assert.match(renderReport(report({})), /\*\*Run invalid: not checked/);
    });
  });

  it('runs the timeline scenario only once the supergraph has Query.disclosureTimeline', () => {
    assert.equal(hasDisclosureTimeline('type Query { person(id: ID!): String }'), false);
    assert.equal(hasDisclosureTimeline('type Query { disclosureTimeline(personId: ID!, first: Int): String }'), true);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { LoadResult } from '../bench/load.js';
import { OptionError, parseBenchOptions } from '../bench/options.js';
import { renderReport, type RunReport } from '../bench/report.js';
import type { MeasuredRun } from '../bench/scenarios.js';
import { hasDisclosureTimeline, TIMELINE_PENDING } from '../bench/timeline.js';

function run(requestsPerSecond: number, p99 = 10, extra: Partial<LoadResult> = {}): MeasuredRun {
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
        writes: { hub: run(50), baseline: run(200) },
        soak: {
          load: run(60),
          memory: [
            { label: 'hub gateway', startKiB: 100_000, endKiB: 109_000, maxKiB: 110_000, series: [100_000, 109_000] },
          ],
        },
      }),
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => verdict(met, n)),
      ['met', 'met', 'met', 'pending', 'reported', 'met'],
    );
    assert.match(met, /pending: disclosure log \(#4\) not merged/);

    const missed = renderReport(
      report({
        personView: { hub: run(40), baseline: run(100) },
        constantRate: { hub: run(80, 30), baseline: run(100, 5) },
        caseload: {
          sizes: [10, 100, 1000].map((seeded) => ({ seeded, persons: 7, statements: { ...counts, county: seeded } })),
          personView: counts,
          statements: [],
        },
        soak: {
          load: run(60),
          memory: [
            { label: 'hub county', startKiB: 100_000, endKiB: 111_000, maxKiB: 111_000, series: [100_000, 111_000] },
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

  it('does not count a fast run with bad responses as met', () => {
    const markdown = renderReport(report({ personView: { hub: run(90, 10, { mismatches: 3 }), baseline: run(100) } }));
    assert.equal(verdict(markdown, 1), 'missed');
  });

  it('runs the timeline scenario only once the supergraph has Query.disclosureTimeline', () => {
    assert.equal(hasDisclosureTimeline('type Query { person(id: ID!): String }'), false);
    assert.equal(hasDisclosureTimeline('type Query { disclosureTimeline(personId: ID!, first: Int): String }'), true);
  });
});

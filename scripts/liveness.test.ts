import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { LivenessWatch, type ProbeResult } from './liveness.js';

const READY: ProbeResult = { live: true, ready: { status: 'ready', checks: { database: 'ok', migrations: 'ok' } } };
const HUNG: ProbeResult = { live: false };
const DB_DOWN: ProbeResult = {
  live: true,
  ready: {
    status: 'not ready',
    checks: { database: 'unreachable (ECONNREFUSED)', migrations: 'not checked (database failed)' },
  },
};

describe("npm start's probes of a running part", () => {
  it('kills a part that does not answer /health/live three times in a row, and says why', () => {
    const watch = new LivenessWatch('jobcenter subgraph');
    assert.deepEqual(watch.observe(READY), { kill: false, lines: [] });
    assert.deepEqual(watch.observe(HUNG), {
      kill: false,
      lines: ['the jobcenter subgraph did not answer /health/live within 2 s (1 of 3)'],
    });
    assert.deepEqual(watch.observe(HUNG), {
      kill: false,
      lines: ['the jobcenter subgraph did not answer /health/live within 2 s (2 of 3)'],
    });
    assert.deepEqual(watch.observe(HUNG), {
      kill: true,
      lines: ['the jobcenter subgraph did not answer /health/live within 2 s, 3 times in a row; killing it'],
    });
    assert.equal(watch.killReason, 'killed by the launcher: no answer to /health/live within 2 s, 3 times in a row');
  });

  it('counts misses in a row only: a part that answers in between is never killed', () => {
    const watch = new LivenessWatch('county subgraph');
    const verdicts = [HUNG, HUNG, READY, HUNG, HUNG, READY, HUNG, HUNG].map((probe) => watch.observe(probe));
    assert.ok(verdicts.every((v) => !v.kill));
    assert.deepEqual(verdicts[2].lines, ['the county subgraph answers /health/live again']);
  });

  it('only reports a part that answers but is not ready, once when it changes, and when it is ready again', () => {
    const watch = new LivenessWatch('socialcare subgraph', { intervalMs: 1000, timeoutMs: 500, missesToKill: 2 });
    const verdicts = [DB_DOWN, DB_DOWN, DB_DOWN, READY, READY].map((probe) => watch.observe(probe));
    assert.ok(verdicts.every((v) => !v.kill));
    assert.deepEqual(
      verdicts.map((v) => v.lines),
      [
        [
          'the socialcare subgraph is not ready: database: unreachable (ECONNREFUSED); migrations: not checked (database failed)',
        ],
        [],
        [],
        ['the socialcare subgraph is ready again'],
        [],
      ],
    );
  });

  it('reports a /health/ready that gives no answer as not ready, without killing', () => {
    const watch = new LivenessWatch('consent subgraph', { intervalMs: 1000, timeoutMs: 500, missesToKill: 1 });
    assert.deepEqual(watch.observe({ live: true }), {
      kill: false,
      lines: ['the consent subgraph is not ready: no answer from /health/ready'],
    });
    assert.deepEqual(watch.observe(HUNG), {
      kill: true,
      lines: ['the consent subgraph did not answer /health/live within 0.5 s, once; killing it'],
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { describeDecision, describeExit, RestartPolicy } from './restarts.js';

describe("npm start's restarts of a part that stopped", () => {
  it('restarts with a doubling back-off and gives up after five starts within a minute', () => {
    const policy = new RestartPolicy();
    let now = 0;
    policy.started(now);
    const decisions = [];
    for (;;) {
      now += 100;
      const decision = policy.stopped(now);
      decisions.push(decision);
      if (!decision.restart) break;
      now += decision.delayMs;
      policy.started(now);
    }
    assert.deepEqual(
      decisions.map((d) => (d.restart ? `${d.delayMs}@${d.attempt}/${d.of}` : `give up after ${d.starts}`)),
      ['1000@2/5', '2000@3/5', '4000@4/5', '8000@5/5', 'give up after 5'],
    );
  });

  it('forgets starts older than the window, so a part that crashes rarely is always restarted', () => {
    const policy = new RestartPolicy();
    for (let hour = 0; hour < 10; hour += 1) {
      policy.started(hour * 3_600_000);
      const decision = policy.stopped(hour * 3_600_000 + 1_800_000);
      assert.deepEqual(decision, { restart: true, delayMs: 1000, attempt: 2, of: 5 });
    }
  });

  it('caps the back-off', () => {
    const policy = new RestartPolicy({ maxStarts: 20, windowMs: 3_600_000, baseDelayMs: 1000, maxDelayMs: 5000 });
    for (let i = 0; i < 10; i += 1) policy.started(i);
    const decision = policy.stopped(10);
    assert.ok(decision.restart && decision.delayMs === 5000);
  });

  it('says what happened, naming the part', () => {
    assert.equal(describeExit(1, null), 'exit code 1');
    assert.equal(describeExit(null, 'SIGKILL'), 'killed by SIGKILL');
    assert.equal(
      describeDecision('jobcenter subgraph', 'exit code 1', { restart: true, delayMs: 1000, attempt: 2, of: 5 }),
      'the jobcenter subgraph stopped unexpectedly (exit code 1); restarting in 1 s (attempt 2 of 5)',
    );
    assert.equal(
      describeDecision('county subgraph', 'killed by SIGKILL', { restart: false, starts: 5, windowMs: 60_000 }),
      'the county subgraph stopped unexpectedly (killed by SIGKILL) after 5 starts within 60 s; giving up and stopping everything',
    );
  });
});

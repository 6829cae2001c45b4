import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { checkReadiness, describePending, migrationNames, pendingMigrations, readinessBody } from './health.js';

describe('readiness', () => {
  it('is ready when every check passes, and says ok for each', async () => {
    const readiness = await checkReadiness({ database: async () => undefined, migrations: async () => undefined });
    assert.deepEqual(readinessBody(readiness), { status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('names what is missing and does not run the checks that depend on it', async () => {
    let ran = false;
    const readiness = await checkReadiness({
      database: async () => 'unreachable (ECONNREFUSED)',
      migrations: async () => {
        ran = true;
        return undefined;
      },
    });
    assert.equal(ran, false);
    assert.deepEqual(readinessBody(readiness), {
      status: 'not ready',
      checks: { database: 'unreachable (ECONNREFUSED)', migrations: 'not checked (database failed)' },
    });
  });

  it('fails a check that hangs after the deadline', async () => {
    const readiness = await checkReadiness({ database: () => new Promise<undefined>(() => {}) }, 20);
    assert.deepEqual(readiness, { ready: false, checks: { database: 'no answer within 20 ms' } });
  });

  it('never passes on what a check threw (it could carry a statement or a stack)', async () => {
    const readiness = await checkReadiness({
      migrations: () => Promise.reject(new Error('relation "x" at SELECT secret FROM person WHERE id = $1')),
    });
    assert.deepEqual(readiness, { ready: false, checks: { migrations: 'failed' } });
  });

  it('lists the defined migrations the database lacks, in their order', () => {
    const pending = pendingMigrations(['A1', 'B2', 'C3', 'D4'], ['A1', 'C3', 'Z9']);
    assert.deepEqual(pending, ['B2', 'D4']);
    assert.equal(describePending(pending), '2 pending: B2, D4');
    assert.equal(describePending([]), undefined);
  });

  it("names a migration as TypeORM records it: its instance's name, else its class name", () => {
    class Named1 {
      name = 'Named1763700000000';
    }
    class Unnamed1763700000001 {}
    assert.deepEqual(migrationNames([Named1, Unnamed1763700000001]), ['Named1763700000000', 'Unnamed1763700000001']);
  });
});

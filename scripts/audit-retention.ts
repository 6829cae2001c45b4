/**
 * `npm run audit:retention [-- --older-than-days 730] [--reason "…"]`: the one documented way to remove
 * disclosure records. For each data subgraph, as the database's administrator, it removes the records
 * older than the retention period (DISCLOSURE_RETENTION_DAYS, default two years) and appends a RETENTION
 * record naming the removed range and the hash verification resumes from. Run it while the hub is stopped
 * (embedded PostgreSQL) or against DATABASE_URL; appends wait on the log's append lock meanwhile.
 *
 * `--subgraph <name>` (the image's `verbund audit-retention --subgraph county`, the retention CronJobs of
 * deploy/k8s/retention.yaml): one data subgraph only, on the server at DATABASE_URL that holds its database
 * `verbund_<name>` alone, as each subgraph's own server in the cluster does; it migrates nothing.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { removeExpiredRecords } from '../common/audit/log/disclosure-log.retention.js';
import { LOGGING_SUBGRAPHS, type LoggingSubgraph } from '../common/audit/witness/log-client.js';
import { keyRingOrExit } from '../common/audit/log/log-keys.js';
import { loadConfigOrExit } from '../common/config.js';
import { createDataSource } from '../common/db/data-source.js';
import { withDatabase } from '../common/db/provision.js';
import { policyVersion } from '../common/policy/policy.js';
import { loadShippedCatalogue } from '../common/policy/statutes.js';
import { prepareDatabases } from './databases.js';

const usage = `Usage: npm run audit:retention -- [--older-than-days <days>] [--reason <text>] [--subgraph <${LOGGING_SUBGRAPHS.join('|')}>]`;
let values;
try {
  ({ values } = parseArgs({
    options: { 'older-than-days': { type: 'string' }, reason: { type: 'string' }, subgraph: { type: 'string' } },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const only = values.subgraph as LoggingSubgraph | undefined;
if (only !== undefined && !LOGGING_SUBGRAPHS.includes(only)) {
  console.error(`--subgraph must name a subgraph that keeps a disclosure log, got ${JSON.stringify(only)}\n${usage}`);
  process.exit(64);
}
const config = loadConfigOrExit();
if (only && !config.databaseUrl) {
  console.error(
    `Configuration error: DATABASE_URL (an administrative connection to the ${only} subgraph's server) is not set; --subgraph needs it.`,
  );
  process.exit(78);
}
const days = values['older-than-days'] === undefined ? config.retentionDays : Number(values['older-than-days']);
if (!Number.isInteger(days) || days < config.retentionDays || days > 36_500) {
  console.error(
    `--older-than-days must be an integer from ${config.retentionDays} (DISCLOSURE_RETENTION_DAYS) to 36500, got ${JSON.stringify(values['older-than-days'])}; ` +
      `records younger than the retention period are never removed.\n${usage}`,
  );
  process.exit(64);
}
const cutoff = new Date(Date.now() - days * 86_400_000);
const reason = values.reason ?? `retention period of ${days} days`;
// One subgraph on its own server (its database as `verbund migrate-subgraph` names it), or all on one server.
const { server, adminUrls } = only
  ? {
      server: { stop: async () => {} },
      adminUrls: { [only]: withDatabase(config.databaseUrl!, `verbund_${only}`) } as Partial<
        Record<LoggingSubgraph, string>
      >,
    }
  : await prepareDatabases(config, console.log).then(({ server, databases }) => ({
      server,
      adminUrls: Object.fromEntries(LOGGING_SUBGRAPHS.map((n) => [n, databases[n].adminUrl])),
    }));
try {
  for (const name of only ? [only] : LOGGING_SUBGRAPHS) {
    const admin = await createDataSource({ url: adminUrls[name]!, entities: [] }).initialize();
    try {
      // The log key attests the RETENTION record, so that the subgraph's checkpoints cover it and go on.
      const keys = await keyRingOrExit(config, `${name.toUpperCase()}_LOG_KEY_FILE`, config.logKeyFiles[name], name);
      const removed = await removeExpiredRecords(admin, {
        cutoff,
        operator: 'audit:retention',
        agency: name,
        policyVersion: policyVersion(loadShippedCatalogue()),
        reason,
        keys,
      });
      console.log(
        removed
          ? `${name}: removed records ${removed.removedFrom} to ${removed.removedThrough} (${removed.count}), older than ${cutoff.toISOString()}; a RETENTION record notes it`
          : `${name}: no record older than ${cutoff.toISOString()}`,
      );
    } finally {
      await admin.destroy();
    }
  }
} finally {
  await server.stop();
}

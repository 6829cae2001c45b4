/**
 * `npm run restore -- --from <backup folder> --subgraph <name> --operator <who> --reason <why> [--database <db>]
 * [--witness-state <file>] [--keys <folder>] [--pg-bin <folder>]`: restores one subgraph's database from a backup
 * made by `npm run backup`, never silently (docs/runbooks/restore.md). With the subgraph stopped, it reads what is
 * known beyond the backup (the database it replaces; the consent registry's witness through CONSENT_DATABASE_URL;
 * an independent witness's state file), restores, appends a record of the lost range to the restored log and
 * writes the statement of the gap, signed with the log's key, to `<backup folder>/<name>-gap-<time>.json`.
 */
import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { keyRingOrExit } from '../common/audit/log/log-keys.js';
import { adminDatabaseUrlOrExit, loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { LegalRecordsError, keyFilesOf, restoreSubgraph, writeJson } from './legal-records.js';

const usage =
  'Usage: npm run restore -- --from <backup folder> --subgraph <name> --operator <who> --reason <why> [--database <db>] [--witness-state <file>] [--keys <folder>] [--pg-bin <folder>]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      from: { type: 'string' },
      subgraph: { type: 'string' },
      operator: { type: 'string' },
      reason: { type: 'string' },
      database: { type: 'string' },
      'witness-state': { type: 'string' },
      keys: { type: 'string' },
      'pg-bin': { type: 'string' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const name = values.subgraph as SubgraphName;
// Who restored and why go into the log and the signed statement: both are required, and bounded.
const bounded = (text: string | undefined) => !!text && text.trim().length > 0 && text.length <= 200;
if (!values.from || !SUBGRAPHS.includes(name) || !bounded(values.operator) || !bounded(values.reason)) {
  console.error(
    `--from, --subgraph, --operator and --reason (each at most 200 characters) are required: a restore records who restored and why.\n${usage}`,
  );
  process.exit(64);
}
const config = loadConfigOrExit();
const databaseUrl = adminDatabaseUrlOrExit(config, `the ${name} subgraph's server`);
// The statement is signed with the key the subgraph signs with now (a lost key's successor after a rotation).
const [keyFile] = keyFilesOf(name, config, values.keys);
const keys = await keyRingOrExit(
  config,
  name === 'consent' ? 'WITNESS_KEY_FILE' : `${name.toUpperCase()}_LOG_KEY_FILE`,
  keyFile,
  name === 'consent' ? 'witness-consent' : name,
);
try {
  const signed = await restoreSubgraph({
    serverUrl: databaseUrl,
    from: path.resolve(values.from),
    subgraph: name,
    database: values.database ?? `verbund_${name}`,
    operator: values.operator!,
    reason: values.reason!,
    keys,
    consentUrl: config.subgraphDatabaseUrls.consent,
    witnessState: values['witness-state'],
    pgBin: values['pg-bin'],
  });
  const file = path.join(
    path.resolve(values.from),
    `${name}-gap-${signed.statement.restoredAt.replace(/[:.]/g, '-')}.json`,
  );
  await writeJson(file, signed);
  const { lost } = signed.statement;
  console.log(
    `${name}: restored from the backup of ${signed.statement.backup.takenAt}; ` +
      (lost.count === null
        ? `records from ${lost.from} on may be lost: no source knew of records beyond the backup`
        : `${lost.count} record(s) lost, sequence ${lost.from} to ${lost.through}`) +
      (signed.statement.noted ? `; noted in the log as record ${signed.statement.noted}` : '') +
      `; statement of the gap signed by key ${signed.signature.keyId}: ${file}`,
  );
  for (const source of lost.knownFrom) console.log(`  known from ${source}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(error instanceof LegalRecordsError ? error.exitCode : 1);
}

/**
 * `npm run backup -- --out <folder> [--subgraph <name>]… [--database <name>=<database>]… [--keys <folder>]
 * [--pg-bin <folder>]`: backs up each agency's legal records, its subgraph's database (`pg_dump`, custom format)
 * and its keys (the log key, the consent registry's witness key), into a new folder `<out>/<time>/` with a
 * manifest of SHA-256 sums and what each log held (docs/runbooks/restore.md). DATABASE_URL is an administrative
 * connection to the server; each subgraph's database is `verbund_<name>` unless `--database` names another.
 * Keys come from `--keys` (the layout of deploy/k8s/secrets/), else the configured key files, else (outside
 * production) the development keys under DATA_DIR.
 */
import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { adminDatabaseUrlOrExit, loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import {
  LegalRecordsError,
  backupSubgraph,
  keyFilesOf,
  versions,
  writeJson,
  type BackupManifest,
} from './legal-records.js';

const usage =
  'Usage: npm run backup -- --out <folder> [--subgraph <name>]… [--database <name>=<database>]… [--keys <folder>] [--without-keys] [--pg-bin <folder>]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      out: { type: 'string' },
      subgraph: { type: 'string', multiple: true },
      database: { type: 'string', multiple: true },
      keys: { type: 'string' },
      'without-keys': { type: 'boolean' },
      'pg-bin': { type: 'string' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const chosen = (values.subgraph ?? [...SUBGRAPHS]) as SubgraphName[];
const unknown = chosen.filter((name) => !SUBGRAPHS.includes(name));
const databases = new Map((values.database ?? []).map((pair) => pair.split('=') as [string, string]));
if (
  !values.out ||
  unknown.length ||
  [...databases].some(([name, db]) => !SUBGRAPHS.includes(name as SubgraphName) || !db)
) {
  console.error(`${unknown.length ? `unknown subgraph ${unknown.join(', ')}\n` : ''}${usage}`);
  process.exit(64);
}
const config = loadConfigOrExit();
const databaseUrl = adminDatabaseUrlOrExit(config, 'the PostgreSQL server');
const takenAt = new Date().toISOString();
const dir = path.resolve(values.out, takenAt.replace(/[:.]/g, '-'));
try {
  const { server, pgDump } = await versions(databaseUrl, values['pg-bin']);
  const manifest: BackupManifest = {
    format: 'verbund-backup-v1',
    takenAt,
    serverVersion: server,
    pgDump,
    subgraphs: {},
  };
  for (const name of chosen) {
    const keyFiles = keyFilesOf(name, config, values.keys);
    if (keyFiles.length === 0 && !values['without-keys'])
      throw new LegalRecordsError(
        'BACKUP_KEYS_MISSING',
        `${name}: no key file found (--keys <folder>, ${name === 'consent' ? 'CONSENT_LOG_KEY_FILE, WITNESS_KEY_FILE' : `${name.toUpperCase()}_LOG_KEY_FILE`}); a backup without its keys cannot sign on after a restore. --without-keys backs up the database alone`,
        66,
      );
    const entry = await backupSubgraph({
      serverUrl: databaseUrl,
      subgraph: name,
      database: databases.get(name) ?? `verbund_${name}`,
      dir,
      keyFiles,
      pgBin: values['pg-bin'],
    });
    manifest.subgraphs[name] = entry;
    console.log(
      `${name}: ${entry.database} → ${entry.dump.file} (${entry.dump.bytes} bytes)` +
        (entry.log ? `, log head ${entry.log.head.sequence}` : '') +
        (entry.log?.checkpoint ? `, checkpoint ${entry.log.checkpoint.size}` : '') +
        `, ${entry.keys.length} key file(s)`,
    );
  }
  await writeJson(path.join(dir, 'manifest.json'), manifest);
  console.log(`backup in ${dir}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(error instanceof LegalRecordsError ? error.exitCode : 1);
}

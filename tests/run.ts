/**
 * `npm test`: starts (or reaches, with DATABASE_URL) PostgreSQL once, migrates one template database per
 * subgraph, then runs every test file with Node's test runner. Each test file clones the templates into
 * databases of its own, so files never see each other's rows.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS } from '../common/domain.js';
import { dropDatabase, provisionDatabase } from '../common/db/provision.js';
import { startDatabaseServer } from '../common/db/server.js';
import { migrateSubgraph } from '../common/subgraph/runtime.js';
import { loadSubgraphDefinition } from '../subgraphs/index.js';
import { templateName } from './support/databases.js';

const config = loadConfigOrExit();
const root = path.resolve(import.meta.dirname, '..');
const filter = process.argv.slice(2);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'data' ? [] : testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = ['common', 'subgraphs', 'gateway', 'tests', 'seed', 'scripts']
  .flatMap((dir) => {
    try {
      return testFiles(path.join(root, dir));
    } catch {
      return [];
    }
  })
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  .map((file) => path.relative(root, file));

// VERBUND_TEST_SUBGRAPHS=county,jobcenter limits the templates, for working on one subgraph alone.
const only = process.env.VERBUND_TEST_SUBGRAPHS?.split(',');
const server = await startDatabaseServer({
  databaseUrl: config.databaseUrl,
  dataDir: path.join(config.dataDir, 'test'),
  port: config.embeddedPgPort + 1,
});
const run = `_${randomBytes(3).toString('hex')}`;
const templates = SUBGRAPHS.filter((n) => !only || only.includes(n));
let exitCode = 1;
try {
  for (const name of templates) {
    const database = await provisionDatabase(server.adminUrl, name, templateName(name, run));
    await migrateSubgraph(await loadSubgraphDefinition(name), database);
  }
  console.log(`Test databases ready on ${server.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}; ${files.length} test files`);
  exitCode = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, VERBUND_TEST_ADMIN_URL: server.adminUrl, VERBUND_TEST_RUN: run, NODE_ENV: 'test' },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
} finally {
  for (const name of templates) await dropDatabase(server.adminUrl, templateName(name, run)).catch(() => {});
  await server.stop();
}
process.exit(exitCode);

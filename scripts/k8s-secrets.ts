/**
 * `npm run k8s:secrets [-- --out <dir>] [--tls <dir>]`: writes the files from which `deploy/k8s`'s
 * `secretGenerator` makes the cluster's Secrets, so that `kubectl apply -k deploy/k8s` applies the operator's
 * values and never a placeholder. The folder (`deploy/k8s/secrets/`) is git-ignored; keep it in the district's
 * secret store, never in the repository. Per subgraph: its database server's administrator password and URL
 * (`<name>-db-admin.env`), its role's URL (`<name>-db.env`, the password derived as provisioning derives it),
 * its log signing key (`<name>-log-key.pem`; the consent registry also its `consent-witness-key.pem`, the jobcenter
 * its `jobcenter-witness-key.pem` for the registry's own log); the public halves, labelled, for the witnesses to pin
 * (`pinned-log-keys.json`); the scraper's token
 * (`metrics.env`); per part its certificate (`tls/<part>/{ca.crt,tls.crt,tls.key}`), copied from `--tls`
 * (a folder as `npm run dev-ca` writes it: `ca.pem`, `<part>.pem`, `<part>.key`, e.g. exported from the district's
 * PKI) or, without it, from a new development CA.
 *
 * A file that exists is never overwritten: a signing key or a database password replaced by mistake would cut
 * the disclosure log's chain of keys or lock the subgraph out of its database.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { keyRingFromPem, publishKeys } from '../common/audit/log/log-keys.js';
import { OFFICER_LOG_WITNESS } from '../common/audit/proofs/key-set.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { roleName, rolePassword, withDatabase } from '../common/db/provision.js';
import { TLS_PARTS, makeDevelopmentCa } from './dev-ca.js';

/** What `writeClusterSecrets` wrote and what it left alone because it existed. */
export interface WrittenSecrets {
  written: string[];
  kept: string[];
}

/** A subgraph's database server's administrative URL inside the cluster (the StatefulSet `<name>-db`). */
function adminUrl(name: SubgraphName, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@${name}-db:5432/postgres`;
}

/** The subgraph's connection as its own role, as `verbund database-url <name>` prints it. */
function roleUrl(name: SubgraphName, admin: string): string {
  const role = roleName(name);
  return withDatabase(admin, `verbund_${name}`, { name: role, password: rolePassword(admin, role) });
}

const secret = () => randomBytes(24).toString('base64url');

/** Writes every file the kustomization's secretGenerator reads into `out`; see the module's comment. */
export function writeClusterSecrets(out: string, options: { tlsDir?: string } = {}): WrittenSecrets {
  const result: WrittenSecrets = { written: [], kept: [] };
  const write = (relative: string, content: () => string | Buffer) => {
    const file = path.join(out, relative);
    if (existsSync(file)) {
      result.kept.push(relative);
      return;
    }
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, content(), { mode: 0o600 });
    result.written.push(relative);
  };
  const ed25519 = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  for (const name of SUBGRAPHS) {
    // The role's URL derives from the administrator's password: both are written together or not at all.
    const adminFile = `${name}-db-admin.env`;
    const roleFile = `${name}-db.env`;
    if (!existsSync(path.join(out, adminFile))) {
      const password = secret();
      const admin = adminUrl(name, password);
      write(adminFile, () => `POSTGRES_PASSWORD=${password}\nDATABASE_URL=${admin}\n`);
      rmSync(path.join(out, roleFile), { force: true });
      write(roleFile, () => `${name.toUpperCase()}_DATABASE_URL=${roleUrl(name, admin)}\n`);
    } else {
      result.kept.push(adminFile);
      write(roleFile, () => {
        throw new Error(`${roleFile} is missing beside ${adminFile}: print it with \`verbund database-url ${name}\``);
      });
    }
    // Every part signs its log's checkpoints (the consent registry: its log of officers' reads); the registry also witnesses.
    write(`${name}-log-key.pem`, ed25519);
    if (name === 'consent') write('consent-witness-key.pem', ed25519);
    // The registry signs the consent statements the gateway passes on with a key of their own.
    if (name === 'consent') write('consent-grant-key.pem', ed25519);
    // The jobcenter witnesses the registry's log of officers' reads, with a key of its own (never its log key).
    if (name === OFFICER_LOG_WITNESS) write(`${name}-witness-key.pem`, ed25519);
  }
  // The public halves of the log keys, labelled, for the witnesses to pin (PINNED_LOG_KEYS_FILE): the registry's
  // witness pins the data subgraphs' logs and the jobcenter's witness key; the jobcenter pins the registry's log.
  const ring = (file: string) => keyRingFromPem(readFileSync(path.join(out, file), 'utf8'));
  write('pinned-log-keys.json', () =>
    JSON.stringify(
      [
        ...SUBGRAPHS.map((name) => ({ logId: `verbund:${name}`, keys: publishKeys(ring(`${name}-log-key.pem`)) })),
        {
          witness: OFFICER_LOG_WITNESS,
          keys: publishKeys(ring(`${OFFICER_LOG_WITNESS}-witness-key.pem`), {
            role: 'witness',
            witness: OFFICER_LOG_WITNESS,
          }),
        },
      ],
      null,
      2,
    ),
  );
  write('metrics.env', () => `METRICS_TOKEN=${secret()}\n`);
  const missingTls = TLS_PARTS.filter((part) => !existsSync(path.join(out, 'tls', part, 'tls.key')));
  if (missingTls.length) {
    const generated = options.tlsDir ? undefined : mkdtempSync(path.join(os.tmpdir(), 'verbund-ca-'));
    try {
      if (generated) makeDevelopmentCa(generated, { hosts: TLS_PARTS.map((part) => `${part}.verbund.svc`) });
      const from = options.tlsDir ?? generated!;
      for (const part of missingTls) {
        for (const [source, target] of [
          ['ca.pem', 'ca.crt'],
          [`${part}.pem`, 'tls.crt'],
          [`${part}.key`, 'tls.key'],
        ]) {
          const file = path.join(out, 'tls', part, target);
          mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
          rmSync(file, { force: true });
          copyFileSync(path.join(from, source), file);
          result.written.push(path.join('tls', part, target));
        }
      }
    } finally {
      if (generated) rmSync(generated, { recursive: true, force: true });
    }
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, tls: { type: 'string' } } });
  const out = path.resolve(values.out ?? path.join(import.meta.dirname, '../deploy/k8s/secrets'));
  const { written, kept } = writeClusterSecrets(out, { tlsDir: values.tls && path.resolve(values.tls) });
  console.log(`Wrote ${written.length} files to ${out}${kept.length ? `; kept ${kept.length} that existed` : ''}.`);
  if (!values.tls && written.some((file) => file.startsWith('tls'))) {
    console.log(
      'The certificates come from a new development CA: for production, copy the district CA’s certificates into tls/<part>/ (or pass --tls).',
    );
  }
}

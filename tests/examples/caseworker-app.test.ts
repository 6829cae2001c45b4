/**
 * The partner application to copy (examples/caseworker-app/) against a started hub in the production profile
 * (trusted documents on): it gets its token from the development token command as its README says, sends the
 * hash of its registered person view with the purpose, and prints what the caseworker needs to know: the view,
 * the categories that need the person's consent and for what, a refused purpose, a consent registry or a
 * subgraph that does not answer. The test runs the program as a partner would and reads what it printed.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadOrCreateDevKey } from '../../common/auth/dev-key.js';
import { createTokenVerifier } from '../../common/auth/token.js';
import { loadAgencyList } from '../../common/policy/agencies.js';
import { loadTrustedDocuments, TRUSTED_DOCUMENTS_DIR, type TrustedDocument } from '../../gateway/trusted-documents.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { languageConsentInput } from '../support/queries.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const SEED = 11;
const persons = demoPersons(SEED, 0, 12);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('examples/caseworker-app against a hub in the production profile', () => {
  let hub: RunningHub;
  let dataDir: string;
  let token: string;
  let personId: string;
  let registered: TrustedDocument[];

  /** `npm run token -- …` as the README has it, with the hub's development key. */
  const devToken = async (agency: string, role: string, officer: string) => {
    const issued = await run(['scripts/token.ts', '--agency', agency, '--officer', officer, '--role', role], {
      DATA_DIR: dataDir,
    });
    assert.equal(issued.code, 0, issued.stderr);
    return issued.stdout.trim();
  };
  const app = (...args: string[]) =>
    run(['examples/caseworker-app/src/main.ts', '--url', hub.gatewayUrl, ...args], { VERBUND_TOKEN: token });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-caseworker-app-'));
    const devKey = await loadOrCreateDevKey(dataDir);
    const supergraphSdl = await readFile(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');
    const trustedDocuments = await loadTrustedDocuments({
      dir: path.join(ROOT, TRUSTED_DOCUMENTS_DIR),
      enforce: true,
      supergraphSdl,
      agencies: loadAgencyList(),
    });
    registered = [...trustedDocuments.registry.documents];
    hub = await startHub({
      persons,
      seed: SEED,
      // No consents yet: the consent office records the first one below.
      unseeded: ['consent'],
      verifier: createTokenVerifier({ issuer: 'verbund-dev', devKey }),
      trustedDocuments,
    });
    // A person with language skills on record at the county: the jobcenter needs consent to see them.
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    personId = rows[0].person_id;
    token = await devToken('jobcenter', 'CASEWORKER', 'j.meyer');
  });

  afterAll(async () => {
    await hub?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the hash of a document registered for the jobcenter, generated from the current schema', async () => {
    const check = await run(['examples/caseworker-app/codegen.ts', '--check'], {});
    assert.equal(check.code, 0, check.stderr);
    const generated = JSON.parse(
      readFileSync(path.join(ROOT, 'examples/caseworker-app/src/gql/persisted-documents.json'), 'utf8'),
    ) as Record<string, string>;
    for (const hash of Object.keys(generated)) {
      const document = registered.find((d) => d.hash === hash.replace(/^sha256:/, ''));
      assert.equal(document?.agency, 'jobcenter', `${hash} is registered for the jobcenter`);
      assert.equal(document?.file, 'jobcenter/CaseworkerPersonView.graphql');
    }
  });

  it('prints the person view and names the categories that need the person’s consent, and for what', async () => {
    const person = persons.find((p) => p.id === personId)!;
    const shown = await app('--person', personId);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`^Person ${personId}: ${person.givenName} ${person.familyName}, born `, 'm'));
    assert.match(shown.stdout, /^ {2}Languages +withheld: needs the person's consent \(CLEARING_LANGUAGE\)$/m);
    assert.match(shown.stdout, /^Needs the person's consent for JOB_PLACEMENT:$/m);
    assert.match(shown.stdout, /^ {2}- CLEARING_LANGUAGE \(ClearingProfile\.languages\)$/m);
    assert.match(
      shown.stdout,
      /Ask the person whether they consent to the jobcenter seeing .*CLEARING_LANGUAGE.* for JOB_PLACEMENT/,
    );
    assert.match(shown.stdout, /^Hub request [0-9a-f-]{36}: every field released or withheld is on record there\.$/m);
    // What it names is what the hub refused: every CONSENT_REQUIRED category of the same request, and no other.
    const raw = await post(hub.gatewayUrl, {
      token,
      purpose: 'JOB_PLACEMENT',
      query: readFileSync(path.join(ROOT, 'examples/caseworker-app/src/person-view.graphql'), 'utf8'),
      variables: { id: personId },
    });
    const refused = new Set(
      (raw.errors ?? []).filter((e) => e.extensions?.code === 'CONSENT_REQUIRED').map((e) => e.extensions!.category),
    );
    const listed = [...shown.stdout.matchAll(/^ {2}- ([A-Z_]+) \(/gm)].map((m) => m[1]);
    assert.deepEqual(new Set(listed), refused);
  });

  it('shows the languages once the consent office has recorded the person’s consent (the console’s registered mutation)', async () => {
    const officer = await devToken('county', 'CONSENT_OFFICER', 'a.schulz');
    const mutation = registered.find((d) => d.agency === 'county' && d.operationNames[0] === 'ConsoleRecordConsent')!;
    const recorded = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${officer}`,
        'x-purpose': 'CONSENT_MANAGEMENT',
      },
      body: JSON.stringify({
        variables: { input: languageConsentInput(personId) },
        extensions: { persistedQuery: { version: 1, sha256Hash: mutation.hash } },
      }),
    });
    const body = (await recorded.json()) as { errors?: unknown };
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const shown = await app('--person', personId);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^ {2}Languages +\w+ (A1|A2|B1|B2|C1|C2|NATIVE)/m);
    assert.doesNotMatch(shown.stdout, /- CLEARING_LANGUAGE/);
  });

  it('tells the caseworker when the hub refuses the purpose', async () => {
    const refused = await app('--person', personId, '--purpose', 'CONSENT_MANAGEMENT');
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /^The hub refuses the purpose CONSENT_MANAGEMENT for this caseworker: /m);
    assert.equal(refused.stdout, '');
  });

  it('says so when its document is not trusted for the agency it signs in for', async () => {
    const county = await devToken('county', 'CASEWORKER', 'k.braun');
    const refused = await run(
      ['examples/caseworker-app/src/main.ts', '--url', hub.gatewayUrl, '--person', personId, '--purpose', 'CLEARING'],
      { VERBUND_TOKEN: county },
    );
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /does not run this app's person view \(SHA-256 [0-9a-f]{64}\) for our agency/);
    assert.match(refused.stderr, /PERSISTED_QUERY_NOT_TRUSTED|No document with SHA-256/);
  });

  it('reports a consent registry that does not answer, and then a subgraph that does not, and still shows the rest', async () => {
    await hub.stopSubgraph('consent');
    const noRegistry = await app('--person', personId);
    assert.equal(noRegistry.code, 0, noRegistry.stderr);
    assert.match(noRegistry.stdout, /withheld for now: the consent registry could not be asked/);
    assert.match(noRegistry.stdout, /^The consent registry could not be asked: .*withheld for now/m);
    assert.match(noRegistry.stdout, /^Person [0-9a-f-]{36}: \S+/m);

    await hub.stopSubgraph('municipality');
    const noMunicipality = await app('--person', personId);
    assert.equal(noMunicipality.code, 0, noMunicipality.stderr);
    assert.match(noMunicipality.stdout, /^ {2}Housing +missing: the municipality subgraph did not answer$/m);
    assert.match(noMunicipality.stdout, /^Part of the hub did not answer \(municipality\): those fields are missing/m);
  });

  it('says when the hub cannot be reached at all', async () => {
    const down = await run(
      ['examples/caseworker-app/src/main.ts', '--url', 'http://127.0.0.1:9/graphql', '--person', personId],
      {
        VERBUND_TOKEN: token,
      },
    );
    assert.equal(down.code, 4);
    assert.match(down.stderr, /^The hub at http:\/\/127\.0\.0\.1:9\/graphql cannot be reached/);
  });
});

/**
 * Trusted documents per agency (#26): with TRUSTED_DOCUMENTS on, as in production, the gateway runs only the
 * documents registered under trusted-documents/ for the caller's agency, by hash or by text, and refuses every
 * other one before any subgraph is asked, so nothing reaches a disclosure log. The misuse class: a partner
 * changing a registered document (an alias, a fragment, a field, another agency's document, a made-up hash).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadConfig } from '../../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen, type Listening } from '../../common/http.js';
import { loadAgencyList } from '../../common/policy/agencies.js';
import { buildGateway, type BuiltGateway } from '../../gateway/gateway.js';
import {
  canonicalDocument,
  loadTrustedDocuments,
  readTrustedDocuments,
  sha256,
  TRUSTED_DOCUMENTS_DIR,
  TrustedDocumentsError,
  type TrustedDocument,
} from '../../gateway/trusted-documents.js';
import { demoPersons } from '../../seed/world.js';
import { codes, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW } from '../support/queries.js';
import { testVerifier, tokenFor } from '../support/tokens.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEED = 11;
const persons = demoPersons(SEED, 0, 12);
const DATA_SUBGRAPHS: SubgraphName[] = ['county', 'municipality', 'jobcenter', 'socialcare'];

/** Posts a raw GraphQL-over-HTTP body, as a partner application's client sends it. */
async function send(
  url: string,
  token: string | undefined,
  purpose: string,
  body: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-purpose': purpose };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
}

function byHash(hash: string) {
  return { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
}

describe('trusted documents in the production profile', () => {
  let hub: RunningHub;
  /** The same subgraphs behind a gateway without trusted documents: how the hub answered before. */
  let open: BuiltGateway;
  let openListening: Listening;
  /** Trusted documents loaded but not enforced, as in development. */
  let lenient: BuiltGateway;
  let lenientListening: Listening;
  let jobcenter: string;
  let county: string;
  let personView: TrustedDocument;
  let fileText: string;
  const personId = persons[0].id;

  const logSizes = async () =>
    Object.fromEntries(
      await Promise.all(
        DATA_SUBGRAPHS.map(async (name) => {
          const rows = await hub.subgraphs[name].db.query<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM disclosure_log',
          );
          return [name, rows[0].n] as const;
        }),
      ),
    );

  beforeAll(async () => {
    const supergraphSdl = await readFile(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');
    const agencies = loadAgencyList();
    const load = (enforce: boolean) =>
      loadTrustedDocuments({ dir: path.join(ROOT, TRUSTED_DOCUMENTS_DIR), enforce, supergraphSdl, agencies });
    const trusted = await load(true);
    hub = await startHub({ persons, seed: SEED, trustedDocuments: trusted });
    const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].url])) as Record<
      SubgraphName,
      string
    >;
    const verifier = await testVerifier();
    open = await buildGateway({ supergraphSdl, subgraphUrls, verifier, development: false });
    openListening = await listen(open.handler, 0);
    lenient = await buildGateway({
      supergraphSdl,
      subgraphUrls,
      verifier,
      development: false,
      trustedDocuments: await load(false),
    });
    lenientListening = await listen(lenient.handler, 0);
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    county = await tokenFor('county', ['CASEWORKER'], 'k.braun');
    personView = trusted.registry.documents.find((d) => d.operationNames[0] === 'CaseworkerPersonView')!;
    assert.ok(personView, 'trusted-documents/jobcenter/CaseworkerPersonView.graphql is registered');
    fileText = readFileSync(path.join(ROOT, TRUSTED_DOCUMENTS_DIR, personView.file), 'utf8');
  });

  afterAll(async () => {
    await openListening?.close();
    await open?.stop();
    await lenientListening?.close();
    await lenient?.stop();
    await hub?.stop();
  });

  /** Sends `body` while every subgraph holds its requests: a refusal that arrives proves none was asked. */
  async function refusedWithoutSubgraphs(token: string, body: Record<string, unknown>): Promise<GraphQLResponse> {
    const before = await logSizes();
    for (const name of SUBGRAPHS) hub.subgraphs[name].pause();
    let response: GraphQLResponse;
    try {
      response = await send(hub.gatewayUrl, token, 'JOB_PLACEMENT', body);
    } finally {
      for (const name of SUBGRAPHS) hub.subgraphs[name].resume();
    }
    // Whatever a subgraph had been sent would be answered, and logged, now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await logSizes(), before, 'nothing written to any disclosure log');
    assert.equal(response.data, undefined);
    return response;
  }

  it('refuses an unregistered document of a partner agency before any subgraph is asked, with nothing logged', async () => {
    const response = await refusedWithoutSubgraphs(jobcenter, { query: PERSON_VIEW, variables: { id: personId } });
    assert.equal(response.status, 403);
    assert.deepEqual(codes(response), ['UNTRUSTED_DOCUMENT']);
    assert.match(response.errors![0].message, /not registered for agency jobcenter.*trusted-documents\/jobcenter\//);
  });

  it('answers a registered document by hash exactly as the hub answered it before', async () => {
    const before = await send(openListening.url, jobcenter, 'JOB_PLACEMENT', {
      query: fileText,
      variables: { id: personId },
    });
    const logged = await logSizes();
    const response = await send(hub.gatewayUrl, jobcenter, 'JOB_PLACEMENT', {
      ...byHash(personView.hash),
      variables: { id: personId },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(response.data, before.data);
    assert.ok(response.data?.person?.givenName, 'identity released by statute');
    assert.deepEqual(codes(response).sort(), codes(before).sort());
    assert.ok(codes(response).includes('CONSENT_REQUIRED'), 'refusals of fields are passed on as before');
    // Released fields are on record as for any request.
    const after = await logSizes();
    assert.ok(DATA_SUBGRAPHS.some((name) => after[name] > logged[name]));
  });

  it('answers the full text of a registered document, however it is laid out', async () => {
    const expected = await send(hub.gatewayUrl, jobcenter, 'JOB_PLACEMENT', {
      ...byHash(personView.hash),
      variables: { id: personId },
    });
    // The registered file is printed sorted; a client may well ask in its own order.
    const reordered = fileText.replace(/ {4}familyName\n {4}givenName\n/, '    givenName\n    familyName\n');
    assert.notEqual(reordered, fileText);
    for (const query of [fileText, personView.text, reordered, `# the person view\n${fileText}`]) {
      const response = await send(hub.gatewayUrl, jobcenter, 'JOB_PLACEMENT', { query, variables: { id: personId } });
      assert.equal(response.status, 200, JSON.stringify(response.errors));
      assert.deepEqual(response.data, expected.data);
    }
    // Text and hash together, as Apollo clients send them after a miss: either hash is taken.
    for (const hash of [personView.hash, sha256(fileText)]) {
      const response = await send(hub.gatewayUrl, jobcenter, 'JOB_PLACEMENT', {
        query: fileText,
        ...byHash(hash),
        variables: { id: personId },
      });
      assert.deepEqual(response.data, expected.data);
    }
  });

  describe('a registered document changed by the partner is another document, refused', () => {
    const changes: [string, (text: string) => string][] = [
      ['an alias added', (t) => t.replace('    familyName\n', '    familyName\n    surname: familyName\n')],
      ['an alias on a registered field', (t) => t.replace('    givenName\n', '    name: givenName\n')],
      [
        'a fragment added',
        (t) =>
          `${t.replace('    familyName\n    givenName\n', '    ...Names\n')}\nfragment Names on Person {\n  familyName\n  givenName\n}\n`,
      ],
      [
        'an inline fragment added',
        (t) => t.replace('    givenName\n', '    ... on Person {\n      givenName\n    }\n'),
      ],
      ['a field added', (t) => t.replace('    givenName\n', '    givenName\n    nationality\n')],
      [
        'a field of another category added',
        (t) => t.replace('    dateOfBirth\n', '    dateOfBirth\n    socialCare { openNeeds { field } }\n'),
      ],
      ['a directive added', (t) => t.replace('    givenName\n', '    givenName @include(if: true)\n')],
      ['the operation renamed', (t) => t.replace('CaseworkerPersonView', 'PersonView')],
    ];
    it.each(changes)('%s', async (_name, change) => {
      const query = change(fileText);
      assert.notEqual(query, fileText);
      assert.equal(query.includes('...Names') || !query.includes('fragment Names'), true, 'the change applies');
      assert.notEqual(canonicalDocument(query).hash, personView.hash);
      const response = await refusedWithoutSubgraphs(jobcenter, { query, variables: { id: personId } });
      assert.deepEqual(codes(response), ['UNTRUSTED_DOCUMENT']);
    });
  });

  it('answers a hash that is not registered for the agency with PERSISTED_QUERY_NOT_TRUSTED', async () => {
    for (const hash of [sha256('query Unknown { __typename }'), canonicalDocument(PERSON_VIEW).hash, 'A'.repeat(64)]) {
      const response = await refusedWithoutSubgraphs(jobcenter, { ...byHash(hash), variables: { id: personId } });
      assert.equal(response.status, 403);
      assert.deepEqual(codes(response), ['PERSISTED_QUERY_NOT_TRUSTED']);
      assert.match(
        response.errors![0].message,
        /No document with SHA-256 [0-9a-f]{64} is registered for agency jobcenter/,
      );
    }
  });

  it("refuses another agency's registered document: the registry is per agency", async () => {
    const before = await logSizes();
    for (const body of [{ ...byHash(personView.hash) }, { query: fileText }]) {
      const response = await send(hub.gatewayUrl, county, 'CLEARING', { ...body, variables: { id: personId } });
      assert.equal(response.status, 403);
      assert.deepEqual(codes(response), [body.query ? 'UNTRUSTED_DOCUMENT' : 'PERSISTED_QUERY_NOT_TRUSTED']);
    }
    assert.deepEqual(await logSizes(), before);
  });

  it('refuses a malformed persistedQuery, a hash that does not match the text, batches and untrusted GETs', async () => {
    for (const persistedQuery of [
      { version: 2, sha256Hash: personView.hash },
      { version: 1, sha256Hash: 'abc' },
      'x',
    ]) {
      const response = await send(hub.gatewayUrl, jobcenter, 'JOB_PLACEMENT', {
        extensions: { persistedQuery },
        variables: { id: personId },
      });
      assert.equal(response.status, 400);
      assert.deepEqual(codes(response), ['BAD_REQUEST']);
    }
    const mismatch = await send(hub.gatewayUrl, jobcenter, 'JOB_PLACEMENT', {
      query: fileText,
      ...byHash(sha256('something else')),
    });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.errors![0].message, /is not the SHA-256 of the document sent/);
    const batch = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${jobcenter}`,
        'x-purpose': 'JOB_PLACEMENT',
      },
      body: JSON.stringify([{ query: fileText, variables: { id: personId } }]),
    });
    assert.equal(batch.status, 400);
    const get = (query: string) =>
      fetch(
        `${hub.gatewayUrl}?${new URLSearchParams({ query, variables: JSON.stringify({ id: personId }) }).toString()}`,
        {
          headers: {
            authorization: `Bearer ${jobcenter}`,
            'x-purpose': 'JOB_PLACEMENT',
            'apollo-require-preflight': '1',
          },
        },
      );
    const untrustedGet = await get(PERSON_VIEW);
    assert.equal(untrustedGet.status, 403);
    assert.equal(((await untrustedGet.json()) as GraphQLResponse).errors?.[0].extensions?.code, 'UNTRUSTED_DOCUMENT');
    const trustedGet = (await (await get(fileText)).json()) as GraphQLResponse;
    assert.ok(trustedGet.data?.person?.givenName);
  });

  it('authenticates before it looks at the document: no token or a wrong purpose is refused as always', async () => {
    const anonymous = await send(hub.gatewayUrl, undefined, 'JOB_PLACEMENT', { query: PERSON_VIEW });
    assert.deepEqual(codes(anonymous), ['UNAUTHENTICATED']);
    const purpose = await send(hub.gatewayUrl, jobcenter, 'CONSENT_MANAGEMENT', byHash(personView.hash));
    assert.deepEqual(codes(purpose), ['FORBIDDEN_PURPOSE']);
  });

  it('with trusted documents off (development) runs any document and still answers registered hashes', async () => {
    const url = lenientListening.url;
    const unregistered = await send(url, jobcenter, 'JOB_PLACEMENT', {
      query: PERSON_VIEW,
      variables: { id: personId },
    });
    assert.ok(unregistered.data?.person?.givenName);
    const registered = await send(url, jobcenter, 'JOB_PLACEMENT', {
      ...byHash(personView.hash),
      variables: { id: personId },
    });
    assert.ok(registered.data?.person?.givenName);
    // An unknown hash asks an Apollo client to send the text, which then runs.
    const unknown = await send(url, jobcenter, 'JOB_PLACEMENT', byHash(sha256(PERSON_VIEW)));
    assert.deepEqual(codes(unknown), ['PERSISTED_QUERY_NOT_FOUND']);
    const retried = await send(url, jobcenter, 'JOB_PLACEMENT', {
      query: PERSON_VIEW,
      ...byHash(sha256(PERSON_VIEW)),
      variables: { id: personId },
    });
    assert.ok(retried.data?.person?.givenName);
  });
});

describe('the registry and its command', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/documents.ts', ...args],
        { cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
      );
    });
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-trusted-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh copy of the committed registry, to plant a fault in. */
  function copy(name: string): string {
    const target = path.join(dir, name);
    cpSync(path.join(ROOT, TRUSTED_DOCUMENTS_DIR), target, { recursive: true });
    return target;
  }

  it('passes on the committed registry, and fails on each planted drift naming the file', async () => {
    const clean = await run(['check'], { TRUSTED_DOCUMENTS_DIR: copy('clean') });
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /all valid against schema\/supergraph\.graphql/);

    const edited = copy('edited');
    const file = path.join(edited, 'jobcenter/CaseworkerPersonView.graphql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    givenName\n', '    givenName\n    nationality\n'));
    const changed = await run(['check'], { TRUSTED_DOCUMENTS_DIR: edited });
    assert.equal(changed.code, 1, changed.out);
    assert.match(
      changed.out,
      /jobcenter\/CaseworkerPersonView\.graphql: the manifest lists sha256 [0-9a-f]{64}, but the file's document hashes to/,
    );

    const manifestEdited = copy('manifest');
    const manifestFile = path.join(manifestEdited, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, Record<string, string>>;
    manifest.jobcenter[sha256('planted')] = 'jobcenter/Planted.graphql';
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const planted = await run(['check'], { TRUSTED_DOCUMENTS_DIR: manifestEdited });
    assert.equal(planted.code, 1);
    assert.match(planted.out, /lists jobcenter\/Planted\.graphql/);

    const stale = copy('stale');
    writeFileSync(
      path.join(stale, 'jobcenter/CaseworkerPersonView.graphql'),
      fileTextWith(
        readFileSync(path.join(ROOT, TRUSTED_DOCUMENTS_DIR, 'jobcenter/CaseworkerPersonView.graphql'), 'utf8'),
      ),
    );
    const invalid = await run(['check'], { TRUSTED_DOCUMENTS_DIR: stale });
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.out,
      /CaseworkerPersonView\.graphql does not validate against the supergraph: Cannot query field "formerName"/,
    );

    const unlisted = copy('unlisted');
    writeFileSync(path.join(unlisted, 'jobcenter/Extra.graphql'), 'query Extra { municipalities { ags } }\n');
    const extra = await run(['check'], { TRUSTED_DOCUMENTS_DIR: unlisted });
    assert.equal(extra.code, 1);
    assert.match(extra.out, /jobcenter\/Extra\.graphql \(sha256 [0-9a-f]{64}\) is not in manifest\.json/);
  });

  function fileTextWith(text: string): string {
    return text.replace('    givenName\n', '    givenName\n    formerName\n');
  }

  it('adds a document in canonical form and lists it', async () => {
    const target = copy('add');
    const source = path.join(dir, 'Mine.graphql');
    writeFileSync(source, 'query MunicipalityNames { municipalities { name ags } }');
    const added = await run(['add', '--agency', 'municipality:08999001', source], { TRUSTED_DOCUMENTS_DIR: target });
    assert.equal(added.code, 0, added.out);
    const hash = canonicalDocument('query MunicipalityNames { municipalities { ags name } }').hash;
    assert.match(added.out, new RegExp(`municipality-08999001/MunicipalityNames\\.graphql sha256 ${hash}`));
    assert.equal(
      readFileSync(path.join(target, 'municipality-08999001/MunicipalityNames.graphql'), 'utf8'),
      'query MunicipalityNames {\n  municipalities {\n    ags\n    name\n  }\n}\n',
    );
    const listed = await run(['list', '--agency', 'municipality:08999001'], { TRUSTED_DOCUMENTS_DIR: target });
    assert.match(
      listed.out,
      new RegExp(`municipality:08999001\\t${hash}\\tmunicipality-08999001/MunicipalityNames.graphql`),
    );
    assert.equal((await run(['check'], { TRUSTED_DOCUMENTS_DIR: target })).code, 0);
    writeFileSync(source, 'query Bad { person(id: "x") { shoeSize } }');
    const refused = await run(['add', '--agency', 'jobcenter', source], { TRUSTED_DOCUMENTS_DIR: target });
    assert.equal(refused.code, 1);
    assert.match(refused.out, /Bad does not validate against schema\/supergraph\.graphql/);
  });

  it('keeps each console page once (shared/<page>/) for every agency shared.json names, and only for those', async () => {
    const agencies = loadAgencyList();
    const { documents, problems } = await readTrustedDocuments(path.join(ROOT, TRUSTED_DOCUMENTS_DIR), agencies);
    assert.deepEqual(problems, []);
    const search = documents.filter((d) => d.operationNames[0] === 'ConsoleSearchPersons');
    // One file, registered for the county's and the jobcenter's consent office, and for no other agency.
    assert.deepEqual(
      search.map((d) => [d.agency, d.file]),
      [
        ['county', 'shared/console/ConsoleSearchPersons.graphql'],
        ['jobcenter', 'shared/console/ConsoleSearchPersons.graphql'],
      ],
    );
    assert.ok(documents.some((d) => d.agency === 'county' && d.file.startsWith('shared/analysts/')));
    assert.ok(!documents.some((d) => d.agency === 'jobcenter' && d.file.startsWith('shared/analysts/')));

    // Taking an agency out of shared.json takes the page's documents from it.
    const fewer = copy('shared-fewer');
    writeFileSync(path.join(fewer, 'shared.json'), JSON.stringify({ console: ['county'], analysts: ['county'] }));
    const narrowed = await readTrustedDocuments(fewer, agencies);
    assert.ok(!narrowed.documents.some((d) => d.agency === 'jobcenter' && d.file.startsWith('shared/')));
    const check = await run(['check'], { TRUSTED_DOCUMENTS_DIR: fewer });
    assert.equal(check.code, 1, 'the manifest still lists the jobcenter’s console documents');
    assert.match(check.out, /lists shared\/console\/ConsoleSearchPersons\.graphql .* for jobcenter/);

    // A set naming an agency outside the district, a set without a folder, a file that is no JSON map.
    const faults: [string, unknown, RegExp][] = [
      ['shared-stranger', { console: ['county', 'municipality:12345678'] }, /names municipality:12345678 for console/],
      ['shared-missing', { console: ['county'], forms: ['county'] }, /names the set forms, but there is no folder/],
      ['shared-list', ['county'], /must map each set to the agencies registering it/],
      ['shared-name', { 'Console!': ['county'] }, /must be a lower-case name with a list of agencies/],
    ];
    for (const [name, content, message] of faults) {
      const target = copy(name);
      writeFileSync(path.join(target, 'shared.json'), JSON.stringify(content));
      const read = await readTrustedDocuments(target, agencies);
      assert.match(read.problems.map((p) => `${p.file} ${p.message}`).join('\n'), message, name);
      // The strange agency gets nothing; the county keeps the page.
      assert.ok(!read.documents.some((d) => d.agency === 'municipality:12345678'));
    }

    // A console operation the console no longer sends is a problem, and `add` removes it.
    const stale = copy('shared-stale');
    writeFileSync(
      path.join(stale, 'shared/console/ConsoleOld.graphql'),
      'query ConsoleOld { municipalities { ags } }\n',
    );
    const before = await run(['check'], { TRUSTED_DOCUMENTS_DIR: stale });
    assert.equal(before.code, 1);
    assert.match(before.out, /shared\/console\/ConsoleOld\.graphql/);
    const added = await run(['add', '--agency', 'county', '--console'], { TRUSTED_DOCUMENTS_DIR: stale });
    assert.match(added.out, /shared\/console\/ConsoleOld\.graphql removed: the console no longer sends it/);
    const after = await run(['check'], { TRUSTED_DOCUMENTS_DIR: stale });
    assert.equal(after.code, 0, after.out);
  });

  it('stops a production gateway from starting on a registry with problems', async () => {
    const target = copy('broken');
    writeFileSync(path.join(target, 'jobcenter/Broken.graphql'), 'query Broken { person(id: "x") { shoeSize } }\n');
    const supergraphSdl = readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');
    const options = { dir: target, supergraphSdl, agencies: loadAgencyList() };
    await assert.rejects(loadTrustedDocuments({ ...options, enforce: true }), TrustedDocumentsError);
    const warnings: string[] = [];
    const lenient = await loadTrustedDocuments({ ...options, enforce: false, warn: (m) => warnings.push(m) });
    assert.match(warnings.join('\n'), /jobcenter\/Broken\.graphql left out/);
    assert.ok(lenient.registry.documents.length > 0);
  });

  it('is on by default in the production profile only, and can be turned off', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }).trustedDocuments, true);
    assert.equal(loadConfig({ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'off' }).trustedDocuments, false);
    assert.equal(loadConfig({ NODE_ENV: 'development' }).trustedDocuments, false);
    assert.equal(loadConfig({ NODE_ENV: 'test', TRUSTED_DOCUMENTS: 'on' }).trustedDocuments, true);
    assert.throws(
      () => loadConfig({ TRUSTED_DOCUMENTS: 'yes' }),
      /TRUSTED_DOCUMENTS="yes" is invalid; expected one of on, off/,
    );
  });
});

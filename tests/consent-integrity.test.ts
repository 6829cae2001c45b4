import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { RegistryLookup } from '../common/access/registry-lookup.js';
import { localDateOf } from '../common/district-time.js';
import { consentSubgraph } from '../subgraphs/consent/consent.subgraph.js';
import { codes, post, type GraphQLResponse } from './support/graphql.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

/**
 * The consent record stays as the officer gave it (issue #22), straight at the registry: days that do not
 * drift, no lost update, void, overlaps, plausibility. Run it with the process in another zone too
 * (`TZ=Pacific/Kiritimati npm test -- tests/consent-integrity`): nothing here may depend on the process's zone.
 */
const BORN = '2002-05-14';
const person = randomUUID();
// The county's register as the registry asks it: this person born in 2002, every other id registered without a date.
const registry: RegistryLookup = async (_caller, _authorization, ids) =>
  new Map(ids.map((id) => [id, { id, assignedToCaller: false, dateOfBirth: id === person ? BORN : null }]));

const terms = {
  recipients: ['jobcenter'],
  purposes: ['JOB_PLACEMENT'],
  categories: ['CLEARING_LANGUAGE'],
  givenAt: '2026-03-01T10:00:00Z',
  validFrom: '2026-03-01',
  validUntil: '2027-06-30',
  form: 'WRITTEN',
  evidenceReference: 'file 17',
  noticeVersion: '2026-01',
  noticeLanguage: 'uk',
};

const CONSENT = 'id version state validFrom validUntil voidedAt voidReason recordedBy { officer agency }';

describe('consent integrity at the registry', () => {
  let registryUrl: string;
  let running: RunningSubgraph;
  let officer: string;
  let other: string;
  beforeAll(async () => {
    running = await startSubgraph(consentSubgraph, { registryLookup: registry });
    registryUrl = running.url;
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    other = await tokenFor('county', ['CONSENT_OFFICER'], 'b.yilmaz');
  });
  afterAll(() => running.stop());

  const ask = (query: string, variables: Record<string, unknown>, token = officer) =>
    post(registryUrl, { token, purpose: 'CONSENT_MANAGEMENT', query, variables });
  const record = (input: Record<string, unknown>) =>
    ask(
      `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { ${CONSENT} overlapping { id version } } }`,
      {
        input: { personId: person, ...input },
      },
    );
  const change = (id: string, expectedVersion: number, t: Record<string, unknown>, token = officer) =>
    ask(
      `mutation($id: ID!, $v: Int!, $terms: ConsentTermsInput!) { changeConsent(id: $id, expectedVersion: $v, terms: $terms) { ${CONSENT} } }`,
      { id, v: expectedVersion, terms: t },
      token,
    );
  const withdraw = (id: string, expectedVersion: number, token = officer) =>
    ask(
      `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { ${CONSENT} } }`,
      {
        input: { id, expectedVersion, reason: 'asked in person' },
      },
      token,
    );
  const voidIt = (id: string, expectedVersion: number, reason = 'recorded for the wrong person') =>
    ask(`mutation($input: VoidConsentInput!) { voidConsent(input: $input) { ${CONSENT} } }`, {
      input: { id, expectedVersion, reason },
    });
  const rows = async () => (await running.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM consent'))[0].n;
  const ok = (response: GraphQLResponse) => {
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!;
  };
  const recorded = async (input: Record<string, unknown> = {}) =>
    ok(await record({ ...terms, ...input })).recordConsent;

  describe('validity days', () => {
    it('stores and answers the days as typed, and the database holds dates, not instants', async () => {
      const consent = await recorded();
      assert.equal(consent.validFrom, '2026-03-01');
      assert.equal(consent.validUntil, '2027-06-30');
      const [row] = await running.db.query<{ from: string; until: string; type: string }[]>(
        `SELECT valid_from::text AS from, valid_until::text AS until, pg_typeof(valid_until)::text AS type FROM consent WHERE id = $1`,
        [consent.id],
      );
      assert.deepEqual(row, { from: '2026-03-01', until: '2027-06-30', type: 'date' });
    });

    it('keeps validUntil as typed through ten changes of purpose', async () => {
      let consent = await recorded();
      const purposes = ['JOB_PLACEMENT', 'LANGUAGE_SUPPORT', 'CASE_CONFERENCE'];
      for (let i = 1; i <= 10; i++) {
        consent = ok(
          await change(consent.id, consent.version, { ...terms, purposes: [purposes[i % 3]] }),
        ).changeConsent;
      }
      assert.equal(consent.version, 11);
      assert.equal(consent.validUntil, '2027-06-30');
      assert.equal(consent.validFrom, '2026-03-01');
      const versions = ok(
        await ask(`query($id: ID!) { consent(id: $id) { versions { validUntil } } }`, { id: consent.id }),
      );
      assert.deepEqual(
        new Set(versions.consent.versions.map((v: { validUntil: string }) => v.validUntil)),
        new Set(['2027-06-30']),
      );
    });

    it("defaults validFrom to the day givenAt falls on in the district's zone, not in UTC", async () => {
      // 23:30 UTC on 28 February is already 1 March in Berlin.
      const consent = await recorded({ givenAt: '2026-02-28T23:30:00Z', validFrom: null });
      assert.equal(consent.validFrom, '2026-03-01');
    });

    it('allows through 23:59 Berlin time on the last day and refuses from 00:00 the next day', async () => {
      const consent = await recorded({ recipients: ['socialcare:awo'], purposes: ['SOCIAL_COUNSELLING'] });
      const at = async (instant: string) => {
        const cells = ok(
          await ask(
            `query($p: ID!, $at: DateTimeISO) { effectiveAccess(personId: $p, at: $at) { agency purpose category basis consentId consentValidUntil } }`,
            { p: person, at: instant },
          ),
        ).effectiveAccess as { agency: string; purpose: string; category: string; basis: string; consentId: string }[];
        return cells.find(
          (c) =>
            c.agency === 'socialcare:awo' && c.purpose === 'SOCIAL_COUNSELLING' && c.category === 'CLEARING_LANGUAGE',
        )!;
      };
      const last = await at('2027-06-30T23:59:00+02:00');
      assert.equal(last.basis, 'CONSENT');
      assert.equal(last.consentId, consent.id);
      assert.equal((await at('2027-07-01T00:00:00+02:00')).basis, 'NONE');
      assert.equal((await at('2026-03-01T00:00:00+01:00')).basis, 'CONSENT');
      assert.equal((await at('2026-02-28T23:59:00+01:00')).basis, 'NONE');
    });

    it('refuses a date that is not a real one, naming the field, and writes nothing', async () => {
      const before = await rows();
      for (const [field, value] of [
        ['validUntil', '2027-02-30'],
        ['validFrom', '2026-13-01'],
        ['validUntil', '2027-06-30T00:00:00Z'],
      ] as const) {
        const response = await record({ ...terms, [field]: value });
        assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
        assert.match(response.errors![0].message, new RegExp(field));
      }
      assert.equal(await rows(), before);
    });
  });

  describe('plausibility, on the server', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['given before the person was born', { givenAt: '1900-01-01T10:00:00Z', validFrom: null }, 'givenAt'],
      ['given the day before the birth', { givenAt: '2002-05-13T12:00:00Z', validFrom: null }, 'givenAt'],
      ['given in the year 0', { givenAt: '0000-01-01T00:00:00Z', validFrom: null }, 'givenAt'],
      [
        'given in the future',
        { givenAt: new Date(Date.now() + 86_400_000).toISOString(), validFrom: null, validUntil: null },
        'givenAt',
      ],
      ['valid until before valid from', { validUntil: '2026-02-01' }, 'validUntil'],
      ['valid until the day it starts', { validUntil: '2026-03-01' }, 'validUntil'],
      ['valid from before it was given', { validFrom: '2026-02-01' }, 'validFrom'],
      ['with a notice language the district has no notice in', { noticeLanguage: 'zz' }, 'noticeLanguage'],
      ['with a notice version the district never had', { noticeVersion: '1999-01' }, 'noticeVersion'],
      ['with an evidence reference of spaces only', { evidenceReference: '   ' }, 'evidenceReference'],
      [
        'naming a recipient that is not an agency of the district',
        { recipients: ['municipality:01234567'] },
        'recipients',
      ],
    ];
    for (const [name, input, field] of cases) {
      it(`refuses a consent ${name} with BAD_USER_INPUT naming ${field}, and writes nothing`, async () => {
        const before = await rows();
        const response = await record({ ...terms, ...input });
        assert.deepEqual(codes(response), ['BAD_USER_INPUT'], JSON.stringify(response.errors));
        const fields = (response.errors![0].extensions!.problems ?? []).map((p: { field: string }) => p.field);
        assert.ok(fields.includes(field), JSON.stringify(response.errors));
        assert.equal(await rows(), before);
      });
    }

    it('accepts a consent given on the day of birth, and the same rules hold for a change', async () => {
      const consent = await recorded({ givenAt: `${BORN}T08:00:00Z`, validFrom: null });
      const before = await rows();
      const response = await change(consent.id, 1, { ...terms, givenAt: '2001-01-01T10:00:00Z', validFrom: null });
      assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
      assert.equal(await rows(), before);
    });
  });

  describe('no lost update', () => {
    it('refuses a stale expectedVersion with CONFLICT naming the current version, who and when, and writes nothing', async () => {
      const consent = await recorded();
      const first = ok(
        await change(consent.id, 1, { ...terms, categories: ['CLEARING_EDUCATION'] }, other),
      ).changeConsent;
      const before = await rows();
      const stale = await change(consent.id, 1, { ...terms, purposes: ['LANGUAGE_SUPPORT'] });
      assert.deepEqual(codes(stale), ['CONFLICT']);
      const extensions = stale.errors![0].extensions!;
      assert.equal(extensions.currentVersion, 2);
      assert.equal(extensions.expectedVersion, 1);
      assert.deepEqual(extensions.changedBy, { officer: 'b.yilmaz', agency: 'county' });
      assert.ok(Math.abs(Date.parse(extensions.changedAt) - Date.now()) < 60_000, extensions.changedAt);
      assert.match(stale.errors![0].message, /version 2 is current .*b\.yilmaz/);
      assert.deepEqual(codes(await withdraw(consent.id, 1)), ['CONFLICT']);
      assert.deepEqual(codes(await voidIt(consent.id, 1)), ['CONFLICT']);
      assert.equal(await rows(), before);
      const now = ok(
        await ask(`query($id: ID!) { consent(id: $id) { version categories purposes } }`, { id: consent.id }),
      );
      assert.deepEqual(now.consent, {
        version: 2,
        categories: first.categories ?? ['CLEARING_EDUCATION'],
        purposes: ['JOB_PLACEMENT'],
      });
    });

    it('gives exactly one success and one CONFLICT to two concurrent changes of the same version', async () => {
      for (let round = 0; round < 3; round++) {
        const consent = await recorded();
        const answers = await Promise.all([
          change(consent.id, 1, { ...terms, purposes: ['LANGUAGE_SUPPORT'] }),
          change(consent.id, 1, { ...terms, purposes: ['CASE_CONFERENCE'] }, other),
        ]);
        const outcomes = answers.map((a) => (a.errors ? codes(a).join() : 'OK')).sort();
        assert.deepEqual(outcomes, ['CONFLICT', 'OK'], JSON.stringify(answers));
        const versions = await running.db.query<{ version: number }[]>(
          'SELECT version FROM consent WHERE id = $1 ORDER BY version',
          [consent.id],
        );
        assert.deepEqual(
          versions.map((v) => v.version),
          [1, 2],
        );
      }
    });
  });

  describe('void, not only withdraw', () => {
    it('voids a consent with its reason; from then on it is no grant, and it cannot be changed or withdrawn', async () => {
      const consent = await recorded({ recipients: ['jobcenter'], validUntil: null });
      const grants = async () =>
        (
          await post(registryUrl, {
            token: await tokenFor('jobcenter'),
            purpose: 'JOB_PLACEMENT',
            query: `query($ids: [ID!]!) { consentGrants(personIds: $ids) { id } }`,
            variables: { ids: [person] },
          })
        ).data!.consentGrants.map((g: { id: string }) => g.id);
      assert.ok((await grants()).includes(consent.id));
      const voided = ok(await voidIt(consent.id, 1)).voidConsent;
      assert.equal(voided.state, 'VOIDED');
      assert.equal(voided.version, 2);
      assert.equal(voided.voidReason, 'recorded for the wrong person');
      assert.ok(!(await grants()).includes(consent.id));
      assert.deepEqual(codes(await withdraw(consent.id, 2)), ['BAD_USER_INPUT']);
      assert.deepEqual(codes(await change(consent.id, 2, terms)), ['BAD_USER_INPUT']);
      assert.deepEqual(codes(await voidIt(consent.id, 2)), ['BAD_USER_INPUT']);
      assert.deepEqual(codes(await voidIt((await recorded()).id, 1, '  ')), ['BAD_USER_INPUT']);
    });
  });

  describe('overlaps', () => {
    it('answers the active consents a new one overlaps, and only those', async () => {
      const subject = randomUUID();
      const mine = (input: Record<string, unknown>) => record({ ...terms, ...input, personId: subject });
      const first = ok(await mine({ validUntil: null })).recordConsent;
      assert.deepEqual(first.overlapping, []);
      const withdrawn = ok(await mine({ categories: ['CLEARING_EDUCATION'] })).recordConsent;
      ok(await withdraw(withdrawn.id, 1));
      const elsewhere = ok(await mine({ recipients: ['county'], purposes: ['CLEARING'] })).recordConsent;
      assert.deepEqual(elsewhere.overlapping, []);
      const duplicate = ok(await mine({ categories: ['CLEARING_LANGUAGE', 'CLEARING_EDUCATION'] })).recordConsent;
      assert.deepEqual(
        duplicate.overlapping.map((c: { id: string }) => c.id),
        [first.id],
      );
      const preview = ok(
        await ask(`query($p: ID!, $t: ConsentTermsInput!) { overlappingConsents(personId: $p, terms: $t) { id } }`, {
          p: subject,
          t: terms,
        }),
      ).overlappingConsents.map((c: { id: string }) => c.id);
      assert.deepEqual(new Set(preview), new Set([first.id, duplicate.id]));
      // Days that do not meet do not overlap.
      const later = ok(
        await ask(`query($p: ID!, $t: ConsentTermsInput!) { overlappingConsents(personId: $p, terms: $t) { id } }`, {
          p: subject,
          t: { ...terms, validFrom: '2027-07-01', validUntil: '2027-12-31' },
        }),
      ).overlappingConsents.map((c: { id: string }) => c.id);
      assert.deepEqual(later, [first.id]);
    });
  });

  describe('previews', () => {
    it('shows what a withdrawal or a change would change, by the same decision as effectiveAccess', async () => {
      const subject = randomUUID();
      const a = ok(await record({ ...terms, personId: subject, validUntil: null })).recordConsent;
      const b = ok(await record({ ...terms, personId: subject })).recordConsent;
      type Change = {
        agency: string;
        purpose: string;
        category: string;
        before: { basis: string; consentId: string };
        after: { basis: string; consentId: string; consentValidUntil: string };
      };
      const PREVIEW = 'agency purpose category before { basis consentId } after { basis consentId consentValidUntil }';
      const preview = ok(await ask(`query($id: ID!) { withdrawalPreview(id: $id) { ${PREVIEW} } }`, { id: a.id }))
        .withdrawalPreview as Change[];
      // a (open-ended) is the basis named; after withdrawing it, b carries on until its last day.
      const cell = preview.find(
        (c) => c.agency === 'jobcenter' && c.purpose === 'JOB_PLACEMENT' && c.category === 'CLEARING_LANGUAGE',
      )!;
      assert.deepEqual(cell.before, { basis: 'CONSENT', consentId: a.id });
      assert.deepEqual(cell.after, { basis: 'CONSENT', consentId: b.id, consentValidUntil: '2027-06-30' });
      ok(await withdraw(b.id, 1));
      const alone = ok(await ask(`query($id: ID!) { withdrawalPreview(id: $id) { ${PREVIEW} } }`, { id: a.id }))
        .withdrawalPreview as Change[];
      const lost = alone.find(
        (c) => c.agency === 'jobcenter' && c.purpose === 'JOB_PLACEMENT' && c.category === 'CLEARING_LANGUAGE',
      )!;
      assert.equal(lost.after.basis, 'NONE');
      const changed = ok(
        await ask(`query($id: ID!, $t: ConsentTermsInput!) { changePreview(id: $id, terms: $t) { ${PREVIEW} } }`, {
          id: a.id,
          t: { ...terms, purposes: ['LANGUAGE_SUPPORT'], validUntil: null },
        }),
      ).changePreview as Change[];
      const moved = changed.map((c) => `${c.purpose} ${c.category} ${c.after.basis}`).sort();
      assert.deepEqual(moved, ['JOB_PLACEMENT CLEARING_LANGUAGE NONE', 'LANGUAGE_SUPPORT CLEARING_LANGUAGE CONSENT']);
      // Nothing was written by the previews.
      const versions = await running.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM consent WHERE id = $1', [
        a.id,
      ]);
      assert.equal(versions[0].n, 1);
    });
  });

  it("states each consent's state in the district's days", async () => {
    const today = localDateOf(new Date(), 'Europe/Berlin');
    const consent = await recorded({ givenAt: '2026-01-02T10:00:00Z', validFrom: null, validUntil: today });
    assert.equal(consent.state, 'GIVEN');
  });
});

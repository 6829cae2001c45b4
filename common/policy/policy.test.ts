import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { CATEGORIES, CATEGORY_OWNER, parseAgency, type Category, type Purpose, type Role } from '../domain.js';
import { decide, type ConsentGrant, type DecisionInput } from './policy.js';
import { loadShippedCatalogue, parseCatalogue } from './statutes.js';

const catalogue = loadShippedCatalogue();
const now = new Date('2026-11-21T12:00:00Z');
const person = '0b5b1f43-5d2e-4c36-9a59-6f3f5c0f9a01';

function input(
  agency: string,
  category: Category,
  purpose: Purpose,
  more: Partial<DecisionInput> & { roles?: Role[] } = {},
): DecisionInput {
  return {
    caller: { agency: parseAgency(agency)!, roles: more.roles ?? ['CASEWORKER'], purpose },
    category,
    inOwnScope: more.inOwnScope ?? true,
    consents: more.consents ?? [],
    catalogue,
    now,
    timeZone: 'Europe/Berlin',
  };
}

function grant(over: Partial<ConsentGrant> = {}): ConsentGrant {
  return {
    id: 'c1',
    version: 2,
    personId: person,
    recipients: ['jobcenter'],
    purposes: ['JOB_PLACEMENT'],
    categories: ['CLEARING_LANGUAGE'],
    validFrom: '2026-01-01',
    validUntil: null,
    withdrawnAt: null,
    voidedAt: null,
    ...over,
  };
}

const basis = (i: DecisionInput) => {
  const d = decide(i);
  return d.allowed ? d.basis : d.refusal;
};

describe('policy decision', () => {
  it('grants every owner its own categories for casework, and no one else without a basis', () => {
    const owners: Record<string, string> = {
      county: 'county',
      municipality: 'municipality:08999001',
      jobcenter: 'jobcenter',
      socialcare: 'socialcare:caritas',
    };
    const casePurpose: Record<string, Purpose> = {
      county: 'CLEARING',
      municipality: 'CASE_CONFERENCE',
      jobcenter: 'LANGUAGE_SUPPORT',
      socialcare: 'SOCIAL_COUNSELLING',
    };
    for (const category of CATEGORIES) {
      for (const [kind, agency] of Object.entries(owners)) {
        const expected = CATEGORY_OWNER[category] === kind ? 'OWN_TASK' : 'CONSENT_REQUIRED';
        assert.equal(basis(input(agency, category, casePurpose[kind])), expected, `${agency} ${category}`);
      }
    }
  });

  const table: [string, string, Category, Purpose, Partial<DecisionInput> & { roles?: Role[] }, string][] = [
    [
      'municipality outside its residents',
      'municipality:08999001',
      'HOUSING',
      'SCHOOL_AND_CHILDCARE',
      { inOwnScope: false },
      'CONSENT_REQUIRED',
    ],
    [
      'welfare organisation outside its clients',
      'socialcare:caritas',
      'SOCIAL_CARE',
      'SOCIAL_COUNSELLING',
      { inOwnScope: false },
      'CONSENT_REQUIRED',
    ],
    ['welfare organisation, own client, HEALTH', 'socialcare:caritas', 'HEALTH', 'SOCIAL_COUNSELLING', {}, 'OWN_TASK'],
    [
      'statute: jobcenter identity for placement',
      'jobcenter',
      'IDENTITY',
      'JOB_PLACEMENT',
      {},
      'STATUTE:jobcenter-placement-identity',
    ],
    ['statute needs its purpose', 'jobcenter', 'IDENTITY', 'LANGUAGE_SUPPORT', {}, 'CONSENT_REQUIRED'],
    [
      'statute: county employment in residence procedure',
      'county',
      'EMPLOYMENT',
      'RESIDENCE_PROCEDURE',
      {},
      'STATUTE:county-residence-employment',
    ],
    [
      'statute: county housing for allocation',
      'county',
      'HOUSING',
      'HOUSING_ALLOCATION',
      {},
      'STATUTE:county-housing-allocation',
    ],
    [
      'consent covers recipient, purpose, category',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'JOB_PLACEMENT',
      { consents: [grant()] },
      'CONSENT:c1@2',
    ],
    [
      'consent for another purpose',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'LANGUAGE_SUPPORT',
      { consents: [grant()] },
      'CONSENT_REQUIRED',
    ],
    [
      'consent for another category',
      'jobcenter',
      'HOUSING',
      'JOB_PLACEMENT',
      { consents: [grant()] },
      'CONSENT_REQUIRED',
    ],
    [
      'consent for another recipient',
      'municipality:08999001',
      'CLEARING_LANGUAGE',
      'HOUSING_ALLOCATION',
      { consents: [grant({ purposes: ['HOUSING_ALLOCATION'] })] },
      'CONSENT_REQUIRED',
    ],
    [
      'withdrawn consent',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'JOB_PLACEMENT',
      { consents: [grant({ withdrawnAt: new Date('2026-11-20') })] },
      'CONSENT_REQUIRED',
    ],
    [
      'expired consent',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'JOB_PLACEMENT',
      { consents: [grant({ validUntil: '2026-11-20' })] },
      'CONSENT_REQUIRED',
    ],
    [
      'consent on its last day',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'JOB_PLACEMENT',
      { consents: [grant({ validUntil: '2026-11-21' })] },
      'CONSENT:c1@2',
    ],
    [
      'voided consent',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'JOB_PLACEMENT',
      { consents: [grant({ voidedAt: new Date('2026-11-20') })] },
      'CONSENT_REQUIRED',
    ],
    [
      'consent not yet valid',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'JOB_PLACEMENT',
      { consents: [grant({ validFrom: '2026-12-01' })] },
      'CONSENT_REQUIRED',
    ],
    [
      'HEALTH by explicit consent',
      'jobcenter',
      'HEALTH',
      'JOB_PLACEMENT',
      { consents: [grant({ categories: ['HEALTH'] })] },
      'CONSENT:c1@2',
    ],
    [
      'registry down, consent needed',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'JOB_PLACEMENT',
      { consents: 'unavailable' },
      'CONSENT_UNAVAILABLE',
    ],
    [
      'registry down, statute still answers',
      'jobcenter',
      'IDENTITY',
      'JOB_PLACEMENT',
      { consents: 'unavailable' },
      'STATUTE:jobcenter-placement-identity',
    ],
    [
      'registry down, own task still answers',
      'jobcenter',
      'EMPLOYMENT',
      'JOB_PLACEMENT',
      { consents: 'unavailable' },
      'OWN_TASK',
    ],
    [
      'analyst gets no person-level field',
      'jobcenter',
      'EMPLOYMENT',
      'MONITORING',
      { roles: ['ANALYST'] },
      'FORBIDDEN',
    ],
    [
      'consent officer sees identity for consent management',
      'county',
      'IDENTITY',
      'CONSENT_MANAGEMENT',
      { roles: ['CONSENT_OFFICER'] },
      'STATUTE:consent-management-identity',
    ],
    [
      'consent officer sees nothing else',
      'county',
      'RESIDENCE',
      'CONSENT_MANAGEMENT',
      { roles: ['CONSENT_OFFICER'] },
      'FORBIDDEN',
    ],
    [
      'consent officer, identity for another purpose',
      'county',
      'IDENTITY',
      'CLEARING',
      { roles: ['CONSENT_OFFICER'] },
      'CONSENT_REQUIRED',
    ],
    ['monitoring purpose gives no own-task access', 'jobcenter', 'EMPLOYMENT', 'MONITORING', {}, 'CONSENT_REQUIRED'],
    [
      'monitoring purpose ignores consent',
      'jobcenter',
      'CLEARING_LANGUAGE',
      'MONITORING',
      { consents: [grant({ purposes: ['MONITORING'] })] },
      'CONSENT_REQUIRED',
    ],
  ];
  for (const [name, agency, category, purpose, more, expected] of table) {
    it(name, () => assert.equal(basis(input(agency, category, purpose, more)), expected));
  }

  it('never releases HEALTH by statute, and refuses a catalogue that tries', () => {
    const raw = {
      version: 'x',
      entries: [
        {
          id: 'h',
          reference: 'x',
          description: '',
          agencies: ['jobcenter'],
          purposes: ['JOB_PLACEMENT'],
          categories: ['HEALTH'],
        },
      ],
    };
    assert.throws(() => parseCatalogue(raw), /HEALTH/);
    const sneaked = { version: 'x', example: false, entries: raw.entries as never };
    assert.equal(decide({ ...input('jobcenter', 'HEALTH', 'JOB_PLACEMENT'), catalogue: sneaked }).allowed, false);
  });

  describe('the access request (DATA_SUBJECT_ACCESS): every category but HEALTH, to the county’s consent office only', () => {
    const officer = { roles: ['CONSENT_OFFICER'] as Role[] };
    it('gives the county’s consent officer every category on the catalogue entry, and HEALTH never', () => {
      for (const category of CATEGORIES) {
        assert.equal(
          basis(input('county', category, 'DATA_SUBJECT_ACCESS', officer)),
          category === 'HEALTH' ? 'FORBIDDEN' : 'STATUTE:data-subject-access-copy',
          category,
        );
      }
    });
    it('refuses it to every other role, whatever the consents, and to a consent office the catalogue does not name', () => {
      const anyConsent = grant({
        recipients: ['county'],
        purposes: ['DATA_SUBJECT_ACCESS'],
        categories: [...CATEGORIES],
      });
      for (const category of CATEGORIES) {
        for (const roles of [['CASEWORKER'], ['ANALYST'], ['CASEWORKER', 'ANALYST']] as Role[][]) {
          const decision = basis(input('county', category, 'DATA_SUBJECT_ACCESS', { roles, consents: [anyConsent] }));
          assert.equal(decision, 'FORBIDDEN', `${roles.join('+')} ${category}`);
        }
        // A deployment whose catalogue does not name an agency: no consent could change it.
        assert.equal(basis(input('jobcenter', category, 'DATA_SUBJECT_ACCESS', officer)), 'FORBIDDEN', category);
      }
    });
    it('leaves consent management as it was: identity only', () => {
      for (const category of CATEGORIES) {
        assert.equal(
          basis(input('county', category, 'CONSENT_MANAGEMENT', officer)),
          category === 'IDENTITY' ? 'STATUTE:consent-management-identity' : 'FORBIDDEN',
          category,
        );
      }
    });
  });

  describe('a statute entry naming single fields (the municipality beside homonyms)', () => {
    const officer = { roles: ['CONSENT_OFFICER'] as Role[] };
    const field = 'Person.assignedMunicipality';
    it('covers the named field alone, for the purposes and agencies it names', () => {
      for (const agency of ['county', 'jobcenter', 'municipality:08999001', 'socialcare:caritas']) {
        const asked = input(agency, 'RESIDENCE', 'CONSENT_MANAGEMENT', officer);
        assert.equal(basis({ ...asked, field }), 'STATUTE:consent-management-municipality', agency);
        // The rest of the category: the whole residence object, another field, no field named.
        for (const other of [undefined, 'Person.residence', 'Residence.assignedMunicipality'])
          assert.equal(basis({ ...asked, ...(other ? { field: other } : {}) }), 'FORBIDDEN', `${agency} ${other}`);
      }
    });
    it('gives nothing under another purpose or role, and no other category of the field', () => {
      assert.equal(
        basis({ ...input('county', 'RESIDENCE', 'MONITORING', { roles: ['ANALYST'] }), field }),
        'FORBIDDEN',
      );
      assert.equal(
        basis({ ...input('county', 'RESIDENCE', 'DATA_SUBJECT_ACCESS', officer), field }),
        'STATUTE:data-subject-access-copy',
      );
      assert.equal(basis({ ...input('jobcenter', 'RESIDENCE', 'LANGUAGE_SUPPORT'), field }), 'CONSENT_REQUIRED');
      assert.equal(basis({ ...input('county', 'HOUSING', 'CONSENT_MANAGEMENT', officer), field }), 'FORBIDDEN');
    });
    it('leaves whole-category bases as they were for the field', () => {
      assert.equal(basis({ ...input('county', 'RESIDENCE', 'CLEARING'), field }), 'OWN_TASK');
      assert.equal(
        basis({ ...input('jobcenter', 'RESIDENCE', 'JOB_PLACEMENT'), field }),
        'STATUTE:jobcenter-placement-identity',
      );
    });
    it('refuses a catalogue whose "fields" is not a list of Type.field names', () => {
      const entry = {
        id: 'f',
        reference: 'x',
        description: '',
        agencies: ['county'],
        purposes: ['CONSENT_MANAGEMENT'],
        categories: ['RESIDENCE'],
      };
      for (const fields of [[], 'Person.assignedMunicipality', ['assignedMunicipality'], ['Person.'], [7]])
        assert.throws(
          () => parseCatalogue({ version: 'x', entries: [{ ...entry, fields }] }),
          /"fields" must list fields as Type\.field/,
          JSON.stringify(fields),
        );
      assert.deepEqual(parseCatalogue({ version: 'x', entries: [{ ...entry, fields: [field] }] }).entries[0].fields, [
        field,
      ]);
    });
  });

  describe('validity days in the district time zone, whatever zone the process runs in', () => {
    const until = grant({ validFrom: '2027-01-01', validUntil: '2027-06-30' });
    const at = (instant: string, timeZone = 'Europe/Berlin') =>
      basis({
        ...input('jobcenter', 'CLEARING_LANGUAGE', 'JOB_PLACEMENT', { consents: [until] }),
        now: new Date(instant),
        timeZone,
      });
    it('allows through 23:59 Berlin time on the last day and refuses from 00:00 the next', () => {
      // 2027-06-30 23:59:59 in Berlin is 21:59:59 UTC (summer time, UTC+2).
      assert.equal(at('2027-06-30T23:59:59+02:00'), 'CONSENT:c1@2');
      assert.equal(at('2027-07-01T00:00:00+02:00'), 'CONSENT_REQUIRED');
    });
    it('allows from 00:00 Berlin time on the first day, not a second earlier', () => {
      assert.equal(at('2027-01-01T00:00:00+01:00'), 'CONSENT:c1@2');
      assert.equal(at('2026-12-31T23:59:59+01:00'), 'CONSENT_REQUIRED');
    });
    it("follows the configured zone's days, not UTC's", () => {
      assert.equal(at('2027-06-30T23:30:00+14:00', 'Pacific/Kiritimati'), 'CONSENT:c1@2');
      assert.equal(at('2027-06-30T23:30:00+14:00', 'Europe/Berlin'), 'CONSENT:c1@2');
      assert.equal(at('2027-07-01T00:30:00+14:00', 'Pacific/Kiritimati'), 'CONSENT_REQUIRED');
      // The same instant is still 2027-06-30 in Berlin.
      assert.equal(at('2027-07-01T00:30:00+14:00', 'Europe/Berlin'), 'CONSENT:c1@2');
    });
  });
});

import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DemoSeeder } from '../../common/subgraph/demo-seeder.js';
import { ORGANISATIONS, personRandom, REFERENCE_DATE, type DemoPerson } from '../../seed/world.js';
import { Assignment } from './entities/assignment.entity.js';
import { CaseNote } from './entities/case-note.entity.js';
import { Caseworker } from './entities/caseworker.entity.js';
import { SpecialNeedKind, SupportField } from './entities/enums.js';
import { WelfareOrganisation } from './entities/organisation.entity.js';
import { SpecialNeed } from './entities/special-need.entity.js';
import { SupportNeed } from './entities/support-need.entity.js';

const GIVEN = [
  'Anna',
  'Jonas',
  'Miriam',
  'Tobias',
  'Sabine',
  'Lukas',
  'Katrin',
  'Felix',
  'Petra',
  'Hannah',
  'Markus',
  'Julia',
];
const FAMILY = [
  'Becker',
  'Hoffmann',
  'Schulz',
  'Wagner',
  'Lehmann',
  'Krause',
  'Vogel',
  'Brandt',
  'Seidel',
  'Kuhn',
  'Roth',
  'Frank',
];

const NEEDS: Record<SupportField, string[]> = {
  [SupportField.HOUSING]: ['Looking for an own flat', 'Application for a housing entitlement certificate (WBS)'],
  [SupportField.LANGUAGE]: ['Registration for an integration course', 'Childcare during the language course'],
  [SupportField.EDUCATION]: ['Recognition of a school certificate', 'School enrolment of the children'],
  [SupportField.WORK_AND_TRAINING]: ['Preparing job applications', 'Looking for a vocational training place'],
  [SupportField.SOCIAL_PARTICIPATION]: ['Contact to a sports club', 'Volunteer mentoring (Patenschaft)'],
  [SupportField.HEALTH]: ['Finding a family doctor', 'Application for health insurance card'],
};
const SPECIAL: [SpecialNeedKind, string][] = [
  [SpecialNeedKind.DISABILITY, 'Walking impairment, needs barrier-free accommodation'],
  [SpecialNeedKind.TRAUMA, 'Signs of trauma, referred to psychosocial centre'],
  [SpecialNeedKind.CHRONIC_ILLNESS, 'Diabetes, regular medication'],
  [SpecialNeedKind.PREGNANCY, 'Pregnant, midwife contact arranged'],
];
const NOTES = [
  'First counselling interview, documents reviewed.',
  'Accompanied to the immigration office appointment.',
  'Discussed options for language course and childcare.',
  'Phone call: client reports progress with the flat search.',
  'Helped fill in the application for benefits.',
];

function uuidFrom(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The demo caseworkers of an organisation: three to five, the same in every run. */
export function demoCaseworkers(organisationId: string): Caseworker[] {
  const hash = createHash('sha256').update(`verbund-caseworkers:${organisationId}`).digest();
  const count = 3 + (hash[0] % 3);
  return Array.from({ length: count }, (_, i) => {
    const given = GIVEN[(hash[1 + i] + i) % GIVEN.length];
    const family = FAMILY[(hash[8 + i] + 3 * i) % FAMILY.length];
    return {
      id: uuidFrom(`verbund-caseworker:${organisationId}:${i}`),
      organisationId,
      name: `${given} ${family}`,
      phone: `+49 6999 ${100 + i}${hash[16 + i] % 10}`,
      email: `${given}.${family}@${organisationId}.example`.toLowerCase(),
    };
  });
}

/** How often a counselled person takes part in an offer of each field, and the kinds recorded. */
const PARTICIPATION: [number, string[]][] = [
  [0.8, ['SPORTS_CLUB', 'OTHER_CLUB', 'COMMUNITY_OFFER', 'VOLUNTEERING']],
  [0.35, ['SPORTS_CLUB', 'OTHER_CLUB', 'COMMUNITY_OFFER', 'VOLUNTEERING']],
  [0.75, ['LANGUAGE_CAFE', 'LANGUAGE_TUTORING', 'PARENTS_LANGUAGE_GROUP']],
];

const CASEWORKERS = new Map(ORGANISATIONS.map((o) => [o.id, demoCaseworkers(o.id)]));

/** The district's welfare organisations with their caseworkers; then, per person, counselling and notes. */
export const socialcareSeeder: DemoSeeder = {
  async reference(db: DataSource) {
    await db.transaction(async (manager) => {
      await manager.createQueryBuilder().insert().into(WelfareOrganisation).values(ORGANISATIONS).orIgnore().execute();
      const caseworkers = [...CASEWORKERS.values()].flat();
      await manager.createQueryBuilder().insert().into(Caseworker).values(caseworkers).orIgnore().execute();
    });
  },

  async persons(db: DataSource, persons: DemoPerson[], seed: number) {
    const assignments: Partial<Assignment>[] = [];
    const needs: Partial<SupportNeed>[] = [];
    const special: Partial<SpecialNeed>[] = [];
    const notes: Partial<CaseNote>[] = [];
    const participation: {
      person_id: string;
      organisation_id: string;
      kind: string;
      since: string;
      until: string | null;
    }[] = [];
    for (const p of persons) {
      if (!p.organisationId) continue;
      const r = personRandom(seed, p.index, 'socialcare');
      const caseworker = r.pick(CASEWORKERS.get(p.organisationId)!);
      const since = r.date(p.arrivalDate, REFERENCE_DATE);
      const base = { personId: p.id, organisationId: p.organisationId };
      assignments.push({
        ...base,
        caseworkerId: caseworker.id,
        since,
        until: null,
        municipalityAgs: p.municipalityAgs,
      });
      const needCount = r.int(0, 3);
      for (let i = 0; i < needCount; i += 1) {
        const field = r.pick(Object.values(SupportField));
        const openedOn = r.date(since, REFERENCE_DATE);
        const closedOn = r.chance(0.3) ? r.date(openedOn, REFERENCE_DATE) : null;
        needs.push({ ...base, field, description: r.pick(NEEDS[field]), openedOn, closedOn });
      }
      if (r.chance(0.15)) {
        const [kind, description] = r.pick(SPECIAL);
        special.push({ ...base, kind, description, recordedOn: r.date(since, REFERENCE_DATE) });
      }
      const noteCount = r.int(0, 3);
      for (let i = 0; i < noteCount; i += 1) {
        const day = r.date(since, REFERENCE_DATE);
        notes.push({
          ...base,
          author: 'demo.counselling',
          text: r.pick(NOTES),
          createdAt: new Date(`${day}T${10 + i}:00:00Z`),
        });
      }
      // A stream of its own, so that adding participation left every other demo record as it was.
      const rp = personRandom(seed, p.index, 'participation');
      for (const [chance, kinds] of PARTICIPATION) {
        if (!rp.chance(chance)) continue;
        const start = rp.date(p.arrivalDate, REFERENCE_DATE);
        const until = rp.chance(0.3) ? rp.date(start, REFERENCE_DATE) : null;
        participation.push({
          person_id: p.id,
          organisation_id: p.organisationId,
          kind: rp.pick(kinds),
          since: start,
          until,
        });
      }
    }
    await db.transaction(async (manager) => {
      if (assignments.length) await manager.getRepository(Assignment).insert(assignments);
      if (needs.length) await manager.getRepository(SupportNeed).insert(needs);
      if (special.length) await manager.getRepository(SpecialNeed).insert(special);
      if (notes.length) await manager.getRepository(CaseNote).insert(notes);
      if (participation.length) {
        await manager.query(
          `INSERT INTO participation (person_id, organisation_id, kind, since, until, recorded_by)
           SELECT person_id, organisation_id, kind, since, until, 'demo.counselling'
           FROM json_to_recordset($1::json) AS x(person_id uuid, organisation_id text, kind text, since date, until date)`,
          [JSON.stringify(participation)],
        );
      }
    });
  },
};

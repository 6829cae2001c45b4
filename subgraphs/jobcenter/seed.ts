import type { DataSource } from 'typeorm';
import type { DemoSeeder } from '../../common/subgraph/demo-seeder.js';
import { insertInChunks } from '../../common/loaders.js';
import { seedContacts, seedStaff } from '../../seed/contacts.js';
import { personRandom, REFERENCE_DATE, type DemoPerson, type Random } from '../../seed/world.js';
import { BenefitReceipt } from './entities/benefit.entity.js';
import { IntegrationCourse } from './entities/course.entity.js';
import { EmploymentStatus, Measure } from './entities/employment.entity.js';
import { ClientResidence } from './entities/residence.entity.js';
import { BenefitKind, CourseStatus, CourseType, EmploymentState, MeasureKind } from './entities/enums.js';

// Fictional employers and providers of the fictional district.
const EMPLOYERS = [
  'Bäckerei Sonnenkorn',
  'Pflegedienst Lindenhof',
  'Autohaus Birkenfeld Nord',
  'Logistik Eichenbach GmbH',
  'Gasthaus Zum Ahorn',
  'Elektro Weidenau & Söhne',
  'Gärtnerei Ulmengrund',
];
const PROVIDERS = [
  'Volkshochschule Lindenau',
  'Bildungswerk Birkenfeld',
  'Sprachschule Eichenbach',
  'Bildungszentrum Ahornheim',
];
const MEASURES: [MeasureKind, string][] = [
  [MeasureKind.JOB_COACHING, 'Individual job coaching'],
  [MeasureKind.VOCATIONAL_LANGUAGE_COURSE, 'Job-related German B2'],
  [MeasureKind.INTERNSHIP, 'Work trial in a care home'],
  [MeasureKind.QUALIFICATION, 'Forklift licence'],
  [MeasureKind.QUALIFICATION, 'Adaptation training for recognition'],
  [MeasureKind.WAGE_SUBSIDY, 'Integration wage subsidy'],
];
const NEXT_STATES = [
  [EmploymentState.IN_MEASURE, 35],
  [EmploymentState.EMPLOYED, 30],
  [EmploymentState.IN_TRAINING, 15],
  [EmploymentState.SEEKING, 15],
  [EmploymentState.NOT_AVAILABLE, 5],
] as const;
const COURSE_TYPES = [
  [CourseType.GENERAL, 50],
  [CourseType.PARENTS_AND_WOMEN, 12],
  [CourseType.LITERACY, 12],
  [CourseType.YOUTH, 8],
  [CourseType.INTENSIVE, 8],
  [CourseType.JOB_RELATED, 10],
] as const;

const INSERT_CHUNK = 2000;

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

const earlier = (a: string, b: string) => (a < b ? a : b);
const upToReference = (date: string) => earlier(date, REFERENCE_DATE);

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** An integration course fitting how long ago it started. */
function course(r: Random, p: DemoPerson): Partial<IntegrationCourse> {
  const courseType = r.weighted(COURSE_TYPES);
  const targetLevel = courseType === CourseType.JOB_RELATED ? 'B2' : 'B1';
  const starts = r.date(p.arrivalDate, REFERENCE_DATE);
  const months = (Date.parse(REFERENCE_DATE) - Date.parse(starts)) / (30.4 * 86_400_000);
  const status =
    months < 2
      ? r.pick([CourseStatus.WAITING, CourseStatus.ENROLLED])
      : months < 9
        ? r.weighted([
            [CourseStatus.ENROLLED, 85],
            [CourseStatus.ABORTED, 15],
          ] as const)
        : r.weighted([
            [CourseStatus.COMPLETED, 75],
            [CourseStatus.ABORTED, 15],
            [CourseStatus.ENROLLED, 10],
          ] as const);
  const ends =
    status === CourseStatus.COMPLETED
      ? upToReference(addMonths(starts, r.int(7, 10)))
      : status === CourseStatus.ABORTED
        ? r.date(starts, upToReference(addMonths(starts, 6)))
        : null;
  const resultLevel =
    status === CourseStatus.COMPLETED
      ? r.weighted([
          ['A2', 30],
          ['B1', 55],
          ['B2', 15],
        ] as const)
      : null;
  return { personId: p.id, courseType, status, targetLevel, resultLevel, starts, ends, recordedBy: 'demo.jobcenter' };
}

/**
 * Adults of working age (18 to 64): an employment history from their first months here, measures, for most
 * an integration course and for many a receipt of Bürgergeld. Every choice comes from the person's own
 * random source, so the records are the same in every run with the same seed.
 */
export const jobcenterSeeder: DemoSeeder = {
  reference: (db: DataSource) => seedStaff(db, 'jobcenter'),

  async persons(db: DataSource, persons: DemoPerson[], seed: number) {
    const statuses: Partial<EmploymentStatus>[] = [];
    const measures: Partial<Measure>[] = [];
    const courses: Partial<IntegrationCourse>[] = [];
    const benefits: Partial<BenefitReceipt>[] = [];
    const residences: Partial<ClientResidence>[] = [];
    for (const p of persons) {
      if (p.age < 18 || p.age > 64) continue;
      // Where the client lives, as the jobcenter's file records it; no random draw, so the rest stays as it was.
      residences.push({
        personId: p.id,
        municipalityAgs: p.municipalityAgs,
        since: p.arrivalDate,
        until: null,
        recordedBy: 'demo.jobcenter',
      });
      const r = personRandom(seed, p.index, 'jobcenter');
      const recordedAt = new Date(`${REFERENCE_DATE}T08:00:00Z`);

      // Employment history: seeking from a few months after arrival, then a few changes.
      let since = r.date(p.arrivalDate, upToReference(addMonths(p.arrivalDate, 6)));
      let state: EmploymentState = r.chance(0.1) ? EmploymentState.NOT_AVAILABLE : EmploymentState.SEEKING;
      statuses.push({ personId: p.id, status: state, since, employer: null, recordedBy: 'demo.jobcenter', recordedAt });
      for (let step = r.int(0, 3); step > 0; step--) {
        const next = r.date(since, upToReference(addMonths(since, 18)));
        const nextState = r.weighted(NEXT_STATES);
        if (next <= since || nextState === state) continue;
        since = next;
        state = nextState;
        const employer =
          state === EmploymentState.EMPLOYED || state === EmploymentState.IN_TRAINING ? r.pick(EMPLOYERS) : null;
        statuses.push({ personId: p.id, status: state, since, employer, recordedBy: 'demo.jobcenter', recordedAt });
        if (state === EmploymentState.IN_MEASURE) {
          const [kind, title] = r.pick(MEASURES.filter(([k]) => k !== MeasureKind.WAGE_SUBSIDY));
          const ends = addMonths(since, r.int(3, 12));
          measures.push({
            personId: p.id,
            kind,
            title,
            provider: r.pick(PROVIDERS),
            starts: since,
            ends: ends <= REFERENCE_DATE ? ends : null,
            recordedBy: 'demo.jobcenter',
          });
        }
        if (state === EmploymentState.EMPLOYED && r.chance(0.2)) {
          const ends = addMonths(since, 12);
          measures.push({
            personId: p.id,
            kind: MeasureKind.WAGE_SUBSIDY,
            title: 'Integration wage subsidy',
            provider: 'Jobcenter Landkreis Lindenau',
            starts: since,
            ends: ends <= REFERENCE_DATE ? ends : null,
            recordedBy: 'demo.jobcenter',
          });
        }
      }
      if (r.chance(0.25)) {
        const starts = r.date(p.arrivalDate, REFERENCE_DATE);
        measures.push({
          personId: p.id,
          kind: MeasureKind.JOB_COACHING,
          title: 'Application training',
          provider: r.pick(PROVIDERS),
          starts,
          ends: upToReference(addMonths(starts, 2)),
          recordedBy: 'demo.jobcenter',
        });
      }

      if (r.chance(0.8)) courses.push(course(r, p));
      // A vocational language course (DeuFöV) for many, after the integration course; a stream of its own, so
      // that every other demo record stays as it was.
      const rv = personRandom(seed, p.index, 'vocational-language');
      if (rv.chance(0.35)) {
        const starts = rv.date(
          addMonths(p.arrivalDate, 6) < REFERENCE_DATE ? addMonths(p.arrivalDate, 6) : p.arrivalDate,
          REFERENCE_DATE,
        );
        const ends = addMonths(starts, rv.int(4, 9));
        measures.push({
          personId: p.id,
          kind: MeasureKind.VOCATIONAL_LANGUAGE_COURSE,
          title: 'Job-related German B2',
          provider: rv.pick(PROVIDERS),
          starts,
          ends: ends <= REFERENCE_DATE ? ends : null,
          recordedBy: 'demo.jobcenter',
        });
      }

      // Bürgergeld from shortly after arrival; ended by employment for some, renewed with a new household for others.
      if (r.chance(0.7)) {
        const first = r.date(p.arrivalDate, upToReference(addMonths(p.arrivalDate, 3)));
        const householdSize = r.int(1, 6);
        const employedSince = state === EmploymentState.EMPLOYED && since > first ? since : null;
        const change = r.chance(0.25) ? r.date(first, REFERENCE_DATE) : null;
        if (employedSince && r.chance(0.5)) {
          benefits.push({
            personId: p.id,
            kind: BenefitKind.SGB_II_CITIZENS_BENEFIT,
            since: first,
            until: employedSince,
            householdSize,
            recordedBy: 'demo.jobcenter',
          });
        } else if (change && change > first) {
          benefits.push({
            personId: p.id,
            kind: BenefitKind.SGB_II_CITIZENS_BENEFIT,
            since: first,
            until: dayBefore(change),
            householdSize,
            recordedBy: 'demo.jobcenter',
          });
          benefits.push({
            personId: p.id,
            kind: BenefitKind.SGB_II_CITIZENS_BENEFIT,
            since: change,
            until: null,
            householdSize: Math.min(householdSize + 1, 8),
            recordedBy: 'demo.jobcenter',
          });
        } else {
          benefits.push({
            personId: p.id,
            kind: BenefitKind.SGB_II_CITIZENS_BENEFIT,
            since: first,
            until: null,
            householdSize,
            recordedBy: 'demo.jobcenter',
          });
        }
      }
    }
    await db.transaction(async (manager) => {
      // Chunks keep each INSERT under PostgreSQL's 65,535 bind parameters for batches of up to 10,000 persons.
      await insertInChunks(manager, EmploymentStatus, statuses, INSERT_CHUNK);
      await insertInChunks(manager, Measure, measures, INSERT_CHUNK);
      await insertInChunks(manager, IntegrationCourse, courses, INSERT_CHUNK);
      await insertInChunks(manager, BenefitReceipt, benefits, INSERT_CHUNK);
      await insertInChunks(manager, ClientResidence, residences, INSERT_CHUNK);
    });
    await seedContacts(db, 'jobcenter', persons, seed);
  },
};

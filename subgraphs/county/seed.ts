import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../common/loaders.js';
import type { DemoSeeder } from '../../common/subgraph/demo-seeder.js';
import { seedContacts, seedDirectory, seedStaff } from '../../seed/contacts.js';
import { personRandom, REFERENCE_DATE, type DemoPerson } from '../../seed/world.js';
import { ClearingProfileRow, LanguageSkill, Qualification, WorkExperience } from './entities/clearing.entity.js';
import { Person } from './entities/person.entity.js';
import { CefrLevel, QualificationKind, Recognition, type ResidenceStatus } from './entities/enums.js';

const INTERESTS = [
  'crafts',
  'care work',
  'cooking',
  'IT',
  'football',
  'music',
  'gardening',
  'driving',
  'retail',
  'teaching',
];
const GOALS = [
  'learn German to B1',
  'vocational training',
  'recognition of degree',
  'own flat',
  'work in care',
  'start a business',
  'school leaving certificate',
  'driving licence',
];
const QUALIFICATIONS: [string, QualificationKind][] = [
  ['Electrician', QualificationKind.VOCATIONAL],
  ['Tailor', QualificationKind.VOCATIONAL],
  ['Car mechanic', QualificationKind.VOCATIONAL],
  ['Nurse', QualificationKind.VOCATIONAL],
  ['Teacher (Bachelor)', QualificationKind.ACADEMIC],
  ['Civil engineer (Bachelor)', QualificationKind.ACADEMIC],
  ['Pharmacist', QualificationKind.ACADEMIC],
  ['Accountant', QualificationKind.VOCATIONAL],
];
const OCCUPATIONS = [
  'construction worker',
  'shop assistant',
  'farm worker',
  'driver',
  'cook',
  'hairdresser',
  'warehouse worker',
  'nurse',
];
const LEVELS = [CefrLevel.A1, CefrLevel.A2, CefrLevel.B1, CefrLevel.B2, CefrLevel.C1];

/** Registration, residence and, for most adults, a clearing profile. */
export const countySeeder: DemoSeeder = {
  async reference(db: DataSource) {
    await seedStaff(db, 'county');
    await seedDirectory(db);
  },

  async persons(db: DataSource, persons: DemoPerson[], seed: number) {
    await db.transaction(async (manager) => {
      const people: Partial<Person>[] = [];
      const profiles: Partial<ClearingProfileRow>[] = [];
      const languages: Partial<LanguageSkill>[] = [];
      const qualifications: Partial<Qualification>[] = [];
      const experience: Partial<WorkExperience>[] = [];
      for (const p of persons) {
        const r = personRandom(seed, p.index, 'county');
        const validYears = p.residenceStatus === 'TOLERATED' ? 0.5 : p.residenceStatus === 'SETTLEMENT_PERMIT' ? 0 : 3;
        people.push({
          id: p.id,
          givenName: p.givenName,
          familyName: p.familyName,
          dateOfBirth: p.dateOfBirth,
          gender: p.gender,
          nationality: p.nationality,
          residenceStatus: p.residenceStatus as ResidenceStatus,
          residenceValidUntil: validYears ? r.date(REFERENCE_DATE, `${2026 + Math.ceil(validYears)}-12-31`) : null,
          arrivalDate: p.arrivalDate,
          assignedMunicipalityAgs: p.municipalityAgs,
          registeredAt: new Date(`${p.arrivalDate}T09:00:00Z`),
          registeredBy: 'demo.registration',
        });
        if (p.age < 16 || r.chance(0.15)) continue;
        const schoolYears = r.int(0, 13);
        profiles.push({
          personId: p.id,
          schoolYears,
          schoolDegree:
            schoolYears >= 12
              ? 'UNIVERSITY_ENTRANCE'
              : schoolYears >= 10
                ? 'SECONDARY'
                : schoolYears >= 8
                  ? 'LOWER_SECONDARY'
                  : schoolYears >= 4
                    ? 'PRIMARY'
                    : 'NONE',
          interests: [r.pick(INTERESTS), r.pick(INTERESTS)].filter((v, i, a) => a.indexOf(v) === i),
          goals: [r.pick(GOALS)],
          completedOn: r.date(p.arrivalDate, REFERENCE_DATE),
          recordedBy: 'demo.clearing',
        });
        languages.push({ personId: p.id, language: p.firstLanguage, level: CefrLevel.NATIVE });
        languages.push({ personId: p.id, language: 'de', level: r.pick(LEVELS) });
        if (r.chance(0.4)) languages.push({ personId: p.id, language: 'en', level: r.pick(LEVELS) });
        if (r.chance(0.45)) {
          const [title, kind] = r.pick(QUALIFICATIONS);
          qualifications.push({
            personId: p.id,
            title,
            kind,
            country: p.nationality,
            recognition: r.pick(Object.values(Recognition)),
          });
        }
        if (r.chance(0.6)) experience.push({ personId: p.id, occupation: r.pick(OCCUPATIONS), years: r.int(1, 20) });
      }
      await insertInChunks(manager, Person, people);
      await insertInChunks(manager, ClearingProfileRow, profiles);
      await insertInChunks(manager, LanguageSkill, languages);
      await insertInChunks(manager, Qualification, qualifications);
      await insertInChunks(manager, WorkExperience, experience);
    });
    await seedContacts(db, 'county', persons, seed);
  },
};

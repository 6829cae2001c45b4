import type { DataSource } from 'typeorm';
import type { DemoSeeder } from '../../common/subgraph/demo-seeder.js';
import { insertInChunks } from '../../common/loaders.js';
import { seedContacts, seedStaff } from '../../seed/contacts.js';
import { MUNICIPALITIES, personRandom, REFERENCE_DATE, type DemoPerson } from '../../seed/world.js';
import { Accommodation } from './entities/accommodation.entity.js';
import { Enrolment } from './entities/enrolment.entity.js';
import { AccommodationType, EnrolmentKind } from './entities/enums.js';
import { Municipality } from './entities/municipality.entity.js';

const SHARED_SITES = ['Am Bahnhof 3', 'Gewerbestraße 41', 'Alte Kaserne 1', 'Schulweg 7'];
const STREETS = [
  'Lindenstraße',
  'Birkenweg',
  'Hauptstraße',
  'Am Mühlbach',
  'Eichendorffstraße',
  'Gartenstraße',
  'Kirchplatz',
  'Rosenweg',
  'Seestraße',
  'Bergstraße',
];
const KITAS = ['Kita Sonnenblume', 'Kita Regenbogen', 'Kinderhaus Pusteblume', 'Kita Am Park'];
const PRIMARY = ['Grundschule am Markt', 'Grundschule Lindenhof'];
const SECONDARY = [
  'Gemeinschaftsschule am See',
  'Realschule Eichenbach',
  'Gymnasium am Schlossberg',
  'Werkrealschule Birkenfeld',
];
const CHUNK = 2000;
const DAY = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * DAY).toISOString().slice(0, 10);
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

/** Reference data, then for each person shared accommodation, perhaps a move, and for children Kita or school. */
export const municipalitySeeder: DemoSeeder = {
  async reference(db: DataSource) {
    await db
      .createQueryBuilder()
      .insert()
      .into(Municipality)
      .values(MUNICIPALITIES.map(({ ags, name, population }) => ({ ags, name, population })))
      .orUpdate(['name', 'population'], ['ags'])
      .execute();
    await seedStaff(db, 'municipality');
  },

  async persons(db: DataSource, persons: DemoPerson[], seed: number) {
    const stays: Partial<Accommodation>[] = [];
    const enrolments: Partial<Enrolment>[] = [];
    for (const p of persons) {
      const r = personRandom(seed, p.index, 'municipality');
      const home = { personId: p.id, municipalityAgs: p.municipalityAgs, recordedBy: 'demo.housing' };
      const shared: Partial<Accommodation> = {
        ...home,
        type: AccommodationType.SHARED,
        address: r.pick(SHARED_SITES),
        since: p.arrivalDate,
        until: null,
      };
      stays.push(shared);
      if (p.inFollowUpAccommodation) {
        // Moved on after some months in shared accommodation, never before arriving or after the reference day.
        shared.until = r.date(earlier(addDays(p.arrivalDate, 180), REFERENCE_DATE), REFERENCE_DATE);
        stays.push({
          ...home,
          type: r.chance(0.8) ? AccommodationType.FOLLOW_UP : AccommodationType.OWN_FLAT,
          address: `${r.pick(STREETS)} ${r.int(1, 80)}`,
          since: shared.until,
          until: null,
        });
      }
      const school = { ...home, recordedBy: 'demo.school', until: null };
      if (p.age >= 1 && p.age <= 5 && r.chance(0.6)) {
        enrolments.push({
          ...school,
          kind: EnrolmentKind.CHILDCARE,
          institution: r.pick(KITAS),
          grade: null,
          since: r.date(p.arrivalDate, REFERENCE_DATE),
        });
      } else if (p.age >= 6 && p.age <= 17 && r.chance(0.95)) {
        const grade = Math.max(1, Math.min(12, p.age - 5 - r.int(0, 1)));
        const since = r.date(p.arrivalDate, REFERENCE_DATE);
        if (p.age <= 7 && since > addDays(p.arrivalDate, 60) && r.chance(0.5)) {
          enrolments.push({
            ...school,
            kind: EnrolmentKind.CHILDCARE,
            institution: r.pick(KITAS),
            grade: null,
            since: p.arrivalDate,
            until: since,
          });
        }
        enrolments.push({
          ...school,
          kind: EnrolmentKind.SCHOOL,
          institution: r.pick(grade <= 4 ? PRIMARY : SECONDARY),
          grade,
          since,
        });
      }
    }
    await db.transaction(async (manager) => {
      await insertInChunks(manager, Accommodation, stays, CHUNK);
      await insertInChunks(manager, Enrolment, enrolments, CHUNK);
    });
    await seedContacts(db, 'municipality', persons, seed);
  },
};

import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ContactAssignment, StaffMember } from '../common/integration/contact.entities.js';
import { FieldOfAction } from '../common/integration/field-of-action.js';
import { insertInChunks } from '../common/loaders.js';
import { MUNICIPALITIES, personRandom, REFERENCE_DATE, type DemoPerson } from './world.js';

/** The partners that record contacts of their own staff (the welfare organisations' caseworkers are theirs already). */
export type ContactPartner = 'county' | 'municipality' | 'jobcenter';

/** A stable id for a demo staff member. */
function staffId(key: string): string {
  const h = createHash('sha256').update(`verbund-staff:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface DemoStaff {
  id: string;
  agency: string;
  office: string;
  name: string;
  role: string;
  phone: string;
  email: string;
  fields: FieldOfAction[];
}

const slug = (name: string) => name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss').replace(/[^a-z]+/g, '-');

/** The demo district's officers of a partner: two per field of action (one per municipality at the municipalities). */
export function demoStaff(partner: ContactPartner): DemoStaff[] {
  const staff: DemoStaff[] = [];
  const add = (agency: string, office: string, domain: string, phone: string, people: [string, string, FieldOfAction[]][]) => {
    for (const [i, [name, role, fields]] of people.entries()) {
      staff.push({
        id: staffId(`${agency}:${name}`),
        agency,
        office,
        name,
        role,
        phone: `${phone}-${(i + 1) * 11}`,
        email: `${slug(name.split(' ').at(-1)!)}@${domain}`,
        fields,
      });
    }
  };
  if (partner === 'county') {
    add('county', 'Landratsamt Lindenau, Ausländerbehörde und Clearingstelle', 'lra-lindenau.example', '07131 994', [
      ['Petra Schulz', 'Immigration office caseworker', [FieldOfAction.RESIDENCE]],
      ['Jonas Brandt', 'Immigration office caseworker', [FieldOfAction.RESIDENCE]],
      ['Miriam Okafor', 'Clearing officer', [FieldOfAction.LANGUAGE, FieldOfAction.EDUCATION]],
      ['Stefan Wolf', 'Clearing officer', [FieldOfAction.LANGUAGE, FieldOfAction.EDUCATION]],
    ]);
  } else if (partner === 'jobcenter') {
    add('jobcenter', 'Jobcenter Landkreis Lindenau', 'jobcenter-lindenau.example', '07131 881', [
      ['Jana Meyer', 'Placement officer', [FieldOfAction.WORK_AND_TRAINING]],
      ['Ali Demir', 'Placement officer', [FieldOfAction.WORK_AND_TRAINING]],
      ['Claudia Berg', 'Integration course coordinator', [FieldOfAction.LANGUAGE]],
    ]);
  } else {
    const given = ['Anna', 'Bernd', 'Carla', 'Deniz', 'Eva', 'Frank', 'Gül', 'Hannes', 'Ines', 'Karl', 'Lea', 'Moritz'];
    const family = ['Kaiser', 'Lorenz', 'Vogel', 'Arslan', 'Fuchs', 'Hahn', 'Yildiz', 'Roth', 'Sommer', 'Graf', 'Busch', 'Engel'];
    for (const [i, m] of MUNICIPALITIES.entries()) {
      add(`municipality:${m.ags}`, `Gemeinde ${m.name}, Bürgeramt`, `${slug(m.name)}.example`, `07${131 + i} 40${i}`, [
        [`${given[2 * i]} ${family[2 * i]}`, 'Housing officer', [FieldOfAction.HOUSING]],
        [`${given[2 * i + 1]} ${family[2 * i + 1]}`, 'Childcare and school officer', [FieldOfAction.EDUCATION]],
      ]);
    }
  }
  return staff;
}

/** Writes a partner's demo staff once (again on a later seed run, nothing changes). */
export async function seedStaff(db: DataSource, partner: ContactPartner): Promise<void> {
  const rows = demoStaff(partner).map(({ fields: _fields, ...row }) => row);
  await db.createQueryBuilder().insert().into(StaffMember).values(rows).orIgnore().execute();
}

/**
 * The demo persons' contacts at a partner, for every field of action it works in: the county's immigration
 * office for everyone and its clearing officer for adults; the municipality's housing officer for everyone and
 * its childcare and school officer for children; the jobcenter's placement officer for adults of working age
 * and its course coordinator for some of them.
 */
export async function seedContacts(db: DataSource, partner: ContactPartner, persons: DemoPerson[], seed: number): Promise<void> {
  const staff = demoStaff(partner);
  const rows: Partial<ContactAssignment>[] = [];
  for (const p of persons) {
    const r = personRandom(seed, p.index, `contacts:${partner}`);
    const since = r.date(p.arrivalDate, REFERENCE_DATE);
    const assign = (field: FieldOfAction, agency: string) => {
      const candidates = staff.filter((s) => s.agency === agency && s.fields.includes(field));
      const officer = r.pick(candidates);
      rows.push({ personId: p.id, agency, fieldOfAction: field, staffId: officer.id, since, until: null, recordedBy: 'demo.contacts' });
    };
    if (partner === 'county') {
      assign(FieldOfAction.RESIDENCE, 'county');
      if (p.age >= 16) {
        assign(FieldOfAction.LANGUAGE, 'county');
        assign(FieldOfAction.EDUCATION, 'county');
      }
    } else if (partner === 'municipality') {
      assign(FieldOfAction.HOUSING, `municipality:${p.municipalityAgs}`);
      if (p.age >= 1 && p.age <= 17) assign(FieldOfAction.EDUCATION, `municipality:${p.municipalityAgs}`);
    } else if (p.age >= 18 && p.age <= 64) {
      assign(FieldOfAction.WORK_AND_TRAINING, 'jobcenter');
      if (r.chance(0.5)) assign(FieldOfAction.LANGUAGE, 'jobcenter');
    }
  }
  await db.transaction((manager) => insertInChunks(manager, ContactAssignment, rows));
}

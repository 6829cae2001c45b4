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

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]+/g, '-');

/** The demo district's officers of a partner: two per field of action (one per municipality at the municipalities). */
export function demoStaff(partner: ContactPartner): DemoStaff[] {
  const staff: DemoStaff[] = [];
  const add = (
    agency: string,
    office: string,
    domain: string,
    phone: string,
    people: [string, string, FieldOfAction[]][],
  ) => {
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
    const family = [
      'Kaiser',
      'Lorenz',
      'Vogel',
      'Arslan',
      'Fuchs',
      'Hahn',
      'Yildiz',
      'Roth',
      'Sommer',
      'Graf',
      'Busch',
      'Engel',
    ];
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
export async function seedContacts(
  db: DataSource,
  partner: ContactPartner,
  persons: DemoPerson[],
  seed: number,
): Promise<void> {
  const staff = demoStaff(partner);
  const rows: Partial<ContactAssignment>[] = [];
  for (const p of persons) {
    const r = personRandom(seed, p.index, `contacts:${partner}`);
    const since = r.date(p.arrivalDate, REFERENCE_DATE);
    const assign = (field: FieldOfAction, agency: string) => {
      const candidates = staff.filter((s) => s.agency === agency && s.fields.includes(field));
      const officer = r.pick(candidates);
      rows.push({
        personId: p.id,
        agency,
        fieldOfAction: field,
        staffId: officer.id,
        since,
        until: null,
        recordedBy: 'demo.contacts',
      });
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

/**
 * The demo district's guide of responsibilities, written once (when empty): every municipality's housing and
 * childcare/school offices, the jobcenter's and the county's district-wide offices, and each welfare
 * organisation's counselling offices, one entry per field of action and municipality.
 */
export async function seedDirectory(db: DataSource): Promise<void> {
  const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM directory_entry`);
  if (n > 0) return;
  const rows: Record<string, unknown>[] = [];
  const add = (
    agency: string,
    field: FieldOfAction,
    municipality: string | null,
    office: string,
    staff: DemoStaff | null,
    extra: { address: string; hours: string; phone?: string; email?: string },
  ) =>
    rows.push({
      agency,
      field_of_action: field,
      municipality_ags: municipality,
      office,
      contact_name: staff?.name ?? null,
      phone: extra.phone ?? staff?.phone ?? null,
      email: extra.email ?? staff?.email ?? null,
      address: extra.address,
      hours: extra.hours,
    });
  const municipal = demoStaff('municipality');
  for (const m of MUNICIPALITIES) {
    const agency = `municipality:${m.ags}`;
    const housing = municipal.find((s) => s.agency === agency && s.fields.includes(FieldOfAction.HOUSING))!;
    const school = municipal.find((s) => s.agency === agency && s.fields.includes(FieldOfAction.EDUCATION))!;
    add(agency, FieldOfAction.HOUSING, m.ags, `Gemeinde ${m.name}, Bürgeramt – Unterbringung`, housing, {
      address: `Rathausplatz 1, ${m.name}`,
      hours: 'Mo–Fr 8–12, Do 14–18',
    });
    add(agency, FieldOfAction.EDUCATION, m.ags, `Gemeinde ${m.name}, Kita- und Schulverwaltung`, school, {
      address: `Rathausplatz 1, ${m.name}`,
      hours: 'Mo–Fr 8–12',
    });
  }
  const [meyer, , berg] = demoStaff('jobcenter');
  add('jobcenter', FieldOfAction.WORK_AND_TRAINING, null, 'Jobcenter Landkreis Lindenau, Team Integration', meyer, {
    address: 'Bahnhofstraße 12, Lindenau',
    hours: 'Mo–Fr 8–12, Do 14–17',
  });
  add('jobcenter', FieldOfAction.LANGUAGE, null, 'Jobcenter Landkreis Lindenau, Integrationskurse', berg, {
    address: 'Bahnhofstraße 12, Lindenau',
    hours: 'Di, Do 9–12',
  });
  const [schulz, , okafor] = demoStaff('county');
  add('county', FieldOfAction.RESIDENCE, null, 'Landratsamt Lindenau, Ausländerbehörde', schulz, {
    address: 'Kreishausplatz 1, Lindenau',
    hours: 'Mo, Mi, Fr 8–12',
  });
  add(
    'county',
    FieldOfAction.EDUCATION,
    null,
    'Landratsamt Lindenau, Clearingstelle (Anerkennung, Qualifikation)',
    okafor,
    { address: 'Kreishausplatz 1, Lindenau', hours: 'nach Vereinbarung' },
  );
  add('county', FieldOfAction.LANGUAGE, null, 'Landratsamt Lindenau, Integrationsbeauftragte', null, {
    address: 'Kreishausplatz 1, Lindenau',
    hours: 'Mo–Do 9–15',
    phone: '07131 994-70',
    email: 'integration@lra-lindenau.example',
  });
  const organisations = [
    ['caritas', 'Caritasverband Lindenau, Flüchtlingssozialarbeit', [0, 1]],
    ['diakonie', 'Diakonisches Werk Lindenau, Integrationslotsen', [2, 3]],
    ['awo', 'AWO Kreisverband Lindenau, Migrationsberatung', [4]],
    ['drk', 'DRK Kreisverband Lindenau, Integrationslotsen', [5]],
  ] as const;
  for (const [id, office, towns] of organisations) {
    for (const town of towns) {
      const m = MUNICIPALITIES[town];
      add(`socialcare:${id}`, FieldOfAction.SOCIAL_PARTICIPATION, m.ags, office, null, {
        address: `Beratungsstelle ${m.name}, Kirchplatz ${town + 2}`,
        hours: 'Mo, Mi 9–12, Do 14–17',
        phone: `07${131 + town} 55${town}-0`,
        email: `beratung-${slug(m.name)}@${id}-lindenau.example`,
      });
    }
  }
  const columns = Object.keys(rows[0]);
  const values = rows
    .map((_, i) => `(${columns.map((_, j) => `$${i * columns.length + j + 1}`).join(', ')}, 'demo.directory')`)
    .join(', ');
  await db.query(
    `INSERT INTO directory_entry (${columns.join(', ')}, updated_by) VALUES ${values}`,
    rows.flatMap((row) => columns.map((c) => row[c])),
  );
}

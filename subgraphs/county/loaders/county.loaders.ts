import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { contactsLoader } from '../../../common/integration/contact.service.js';
import { runPrepared } from '../../../common/db/prepared.js';
import { loadOne } from '../../../common/loaders.js';
import { ClearingProfileRow, LanguageSkill, Qualification, WorkExperience } from '../entities/clearing.entity.js';
import { Person } from '../entities/person.entity.js';

/** The parts of a clearing profile, each its own table (and, but for the profile row's, its own category). */
const PARTS = ['profile', 'languages', 'qualifications', 'workExperience'] as const;
type Part = (typeof PARTS)[number];

/** Per part: its table and the order its rows are listed in, as the entities' former loaders ordered them. */
const PART_SOURCES: Record<Part, { table: string; order: string }> = {
  profile: { table: 'clearing_profile', order: 'NULL::text' },
  languages: { table: 'language_skill', order: 't.language' },
  qualifications: { table: 'qualification', order: 't.title' },
  workExperience: { table: 'work_experience', order: 't.occupation' },
};

interface PartRow {
  part: Part;
  row: Record<string, unknown>;
}

/**
 * One statement for every part of the clearing profile that a tick asks for, each for exactly the persons it
 * was asked for (a part whose category was refused is not asked, so not read): a person view's languages
 * and qualifications cost one statement, not two. `UNION ALL` of one `SELECT` per part, ordered as listed.
 */
function partsStatement(parts: Part[]) {
  const selects = parts.map(
    (part, i) =>
      `SELECT '${part}'::text AS part, ${PART_SOURCES[part].order} AS sort_key, to_jsonb(t) AS row
         FROM ${PART_SOURCES[part].table} t WHERE t.person_id = ANY($${i + 1}::uuid[])`,
  );
  return {
    name: `verbund_county_clearing_${parts.join('_')}`,
    text: `${selects.join('\nUNION ALL\n')}\nORDER BY part, sort_key`,
  };
}

function toEntity(part: Part, row: Record<string, unknown>): object {
  switch (part) {
    case 'profile':
      return Object.assign(new ClearingProfileRow(), {
        personId: row.person_id,
        schoolYears: row.school_years,
        schoolDegree: row.school_degree,
        interests: row.interests,
        goals: row.goals,
        completedOn: row.completed_on,
        recordedBy: row.recorded_by,
      });
    case 'languages':
      return Object.assign(new LanguageSkill(), {
        id: row.id,
        personId: row.person_id,
        language: row.language,
        level: row.level,
      });
    case 'qualifications':
      return Object.assign(new Qualification(), {
        id: row.id,
        personId: row.person_id,
        title: row.title,
        kind: row.kind,
        country: row.country,
        recognition: row.recognition,
      });
    case 'workExperience':
      return Object.assign(new WorkExperience(), {
        id: row.id,
        personId: row.person_id,
        occupation: row.occupation,
        years: Number(row.years),
      });
  }
}

const SEPARATOR = '\u0000';

/** The clearing profile's parts of the persons asked for in one tick, in one statement. */
function clearingParts(db: DataSource): DataLoader<string, object[]> {
  return new DataLoader(async (keys) => {
    const asked = new Map<Part, Set<string>>();
    for (const key of keys) {
      const [part, personId] = key.split(SEPARATOR) as [Part, string];
      if (!asked.has(part)) asked.set(part, new Set());
      asked.get(part)!.add(personId);
    }
    const parts = PARTS.filter((part) => asked.has(part));
    const rows = await runPrepared<PartRow & Record<string, unknown>>(
      db,
      partsStatement(parts),
      parts.map((part) => [...asked.get(part)!]),
    );
    const found = new Map<string, object[]>();
    for (const { part, row } of rows) {
      const key = part + SEPARATOR + String(row.person_id);
      if (!found.has(key)) found.set(key, []);
      found.get(key)!.push(toEntity(part, row));
    }
    return keys.map((key) => found.get(key) ?? []);
  });
}

/** The county's per-request loaders; built anew for every request. */
export function createCountyLoaders(db: DataSource) {
  const parts = clearingParts(db);
  const load = <T>(part: Part) => ({
    load: (personId: string) => parts.load(part + SEPARATOR + personId) as Promise<T[]>,
  });
  const profiles = load<ClearingProfileRow>('profile');
  return {
    person: loadOne(db, Person, 'id'),
    clearingProfile: { load: async (personId: string) => (await profiles.load(personId))[0] ?? null },
    languages: load<LanguageSkill>('languages'),
    qualifications: load<Qualification>('qualifications'),
    workExperience: load<WorkExperience>('workExperience'),
    /** Each person's open contacts at the county, with the officers' staff data. */
    contacts: contactsLoader(db),
  };
}

export type CountyLoaders = ReturnType<typeof createCountyLoaders>;

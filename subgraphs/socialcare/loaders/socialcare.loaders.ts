import DataLoader from 'dataloader';
import { In, IsNull, type DataSource } from 'typeorm';
import { loadMany, loadOne } from '../../../common/loaders.js';
import { Assignment } from '../entities/assignment.entity.js';
import { Caseworker } from '../entities/caseworker.entity.js';
import { WelfareOrganisation } from '../entities/organisation.entity.js';
import { SpecialNeed } from '../entities/special-need.entity.js';
import { SupportNeed } from '../entities/support-need.entity.js';

/** Each person's open assignment, if any: one statement for all keys of a tick. */
function openAssignments(db: DataSource): DataLoader<string, Assignment | null> {
  return new DataLoader(async (personIds) => {
    const rows = await db.getRepository(Assignment).findBy({ personId: In([...personIds]), until: IsNull() });
    const byPerson = new Map(rows.map((row) => [row.personId, row]));
    return personIds.map((id) => byPerson.get(id) ?? null);
  });
}

/** Each person's open support needs, oldest first: one statement for all keys of a tick. */
function openNeeds(db: DataSource): DataLoader<string, SupportNeed[]> {
  return new DataLoader(async (personIds) => {
    const rows = await db.getRepository(SupportNeed).find({
      where: { personId: In([...personIds]), closedOn: IsNull() },
      order: { openedOn: 'ASC', id: 'ASC' },
    });
    const byPerson = new Map<string, SupportNeed[]>(personIds.map((id) => [id, []]));
    for (const row of rows) byPerson.get(row.personId)?.push(row);
    return personIds.map((id) => byPerson.get(id)!);
  });
}

/** The socialcare subgraph's per-request loaders; built anew for every request. */
export function createSocialcareLoaders(db: DataSource) {
  return {
    openAssignment: openAssignments(db),
    caseworker: loadOne(db, Caseworker, 'id'),
    organisation: loadOne(db, WelfareOrganisation, 'id'),
    openNeeds: openNeeds(db),
    specialNeeds: loadMany(db, SpecialNeed, 'personId', { recordedOn: 'ASC', id: 'ASC' }),
  };
}

export type SocialcareLoaders = ReturnType<typeof createSocialcareLoaders>;

import DataLoader from 'dataloader';
import { loadMany, loadOne } from '../../../common/loaders.js';
import { runPrepared, type PreparedStatement } from '../../../common/db/prepared.js';
import { IsNull, type DataSource } from 'typeorm';
import { Assignment } from '../entities/assignment.entity.js';
import { Caseworker } from '../entities/caseworker.entity.js';
import { WelfareOrganisation } from '../entities/organisation.entity.js';
import { SpecialNeed } from '../entities/special-need.entity.js';
import { SupportNeed } from '../entities/support-need.entity.js';

/**
 * Each person's open assignment with its caseworker and both organisations (the assignment's and the
 * caseworker's) in one statement: a person view then reads the case in one statement instead of three.
 * Dates as text, as TypeORM hydrates `date` columns.
 */
const OPEN_ASSIGNMENTS: PreparedStatement = {
  name: 'verbund_socialcare_open_assignments',
  text: `SELECT a.id, a.person_id, a.organisation_id, a.caseworker_id, a.since::text AS since, a.until::text AS until,
                a.municipality_ags, o.name AS organisation_name,
                c.id AS c_id, c.organisation_id AS c_organisation_id, c.name AS c_name, c.phone AS c_phone, c.email AS c_email,
                co.name AS c_organisation_name
           FROM assignment a
           LEFT JOIN organisation o ON o.id = a.organisation_id
           LEFT JOIN caseworker c ON c.id = a.caseworker_id
           LEFT JOIN organisation co ON co.id = c.organisation_id
          WHERE a.person_id = ANY($1::uuid[]) AND a.until IS NULL`,
};

interface OpenAssignmentRow {
  id: string;
  person_id: string;
  organisation_id: string;
  caseworker_id: string;
  since: string;
  until: string | null;
  municipality_ags: string | null;
  organisation_name: string | null;
  c_id: string | null;
  c_organisation_id: string | null;
  c_name: string | null;
  c_phone: string | null;
  c_email: string | null;
  c_organisation_name: string | null;
}

function organisation(id: string, name: string): WelfareOrganisation {
  return Object.assign(new WelfareOrganisation(), { id, name });
}

/** The open assignments of a tick's persons; primes the caseworker and organisation loaders with what it read. */
function openAssignments(
  db: DataSource,
  caseworkers: DataLoader<string, Caseworker | null>,
  organisations: DataLoader<string, WelfareOrganisation | null>,
): DataLoader<string, Assignment | null> {
  return new DataLoader(async (personIds) => {
    const rows = await runPrepared<OpenAssignmentRow & Record<string, unknown>>(db, OPEN_ASSIGNMENTS, [[...personIds]]);
    const byPerson = new Map<string, Assignment>();
    for (const row of rows) {
      byPerson.set(
        row.person_id,
        Object.assign(new Assignment(), {
          id: row.id,
          personId: row.person_id,
          organisationId: row.organisation_id,
          caseworkerId: row.caseworker_id,
          since: row.since,
          until: row.until,
          municipalityAgs: row.municipality_ags,
        }),
      );
      if (row.organisation_name !== null)
        organisations.prime(row.organisation_id, organisation(row.organisation_id, row.organisation_name));
      if (row.c_id !== null) {
        caseworkers.prime(
          row.c_id,
          Object.assign(new Caseworker(), {
            id: row.c_id,
            organisationId: row.c_organisation_id,
            name: row.c_name,
            phone: row.c_phone,
            email: row.c_email,
          }),
        );
        if (row.c_organisation_name !== null) {
          organisations.prime(row.c_organisation_id!, organisation(row.c_organisation_id!, row.c_organisation_name));
        }
      }
    }
    return personIds.map((id) => byPerson.get(id) ?? null);
  });
}

/** The socialcare subgraph's per-request loaders; built anew for every request. */
export function createSocialcareLoaders(db: DataSource) {
  const caseworker = loadOne(db, Caseworker, 'id');
  const organisation = loadOne(db, WelfareOrganisation, 'id');
  return {
    /** Each person's open assignment, if any (with its caseworker and organisations primed). */
    openAssignment: openAssignments(db, caseworker, organisation),
    caseworker,
    organisation,
    /** Each person's open support needs, oldest first. */
    openNeeds: loadMany(db, SupportNeed, 'personId', { openedOn: 'ASC', id: 'ASC' }, { closedOn: IsNull() }),
    specialNeeds: loadMany(db, SpecialNeed, 'personId', { recordedOn: 'ASC', id: 'ASC' }),
  };
}

export type SocialcareLoaders = ReturnType<typeof createSocialcareLoaders>;

import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { gateItems } from '../access/gated.js';
import type { AccessService } from '../access/access.service.js';
import type { AgencyKind, Caller } from '../domain.js';
import { badUserInput, notFound } from '../errors.js';
import { ContactAssignment, StaffMember } from './contact.entities.js';
import type { AssignContactInput, Contact, ContactAssignmentRecord } from './contact.type.js';
import { contactCategory } from './contact-category.js';
import { CONTACT_FIELDS, type FieldOfAction } from './field-of-action.js';

/** A person's contact as its partner holds it: the contact, and the agency that assigned it. */
export type HeldContact = Contact;

/** Each person's open contacts at this partner, with the officer's staff data: one statement per tick. */
export function contactsLoader(db: DataSource): DataLoader<string, HeldContact[]> {
  return new DataLoader(async (personIds) => {
    const rows: (ContactRow & { person_id: string })[] = await db.query(
      `SELECT a.person_id, a.field_of_action, a.agency, a.since, s.office, s.name, s.role, s.phone, s.email
       FROM contact_assignment a JOIN staff_member s ON s.id = a.staff_id
       WHERE a.until IS NULL AND a.person_id = ANY($1::uuid[])
       ORDER BY a.field_of_action, a.agency, a.id`,
      [[...personIds]],
    );
    const byPerson = new Map<string, HeldContact[]>(personIds.map((id) => [id, []]));
    for (const row of rows) byPerson.get(row.person_id)?.push(contactOf(row));
    return personIds.map((id) => byPerson.get(id)!);
  });
}

interface ContactRow {
  field_of_action: FieldOfAction;
  agency: string;
  since: string;
  office: string;
  name: string;
  role: string;
  phone: string | null;
  email: string | null;
}

function contactOf(row: ContactRow): HeldContact {
  return {
    fieldOfAction: row.field_of_action,
    partner: row.office,
    agency: row.agency,
    name: row.name,
    role: row.role,
    phone: row.phone,
    email: row.email,
    since: typeof row.since === 'string' ? row.since : new Date(row.since).toISOString().slice(0, 10),
  };
}

type GateContext = Parameters<typeof gateItems>[0] & { access: AccessService };

/**
 * Releases a person's contacts at a partner entry by entry: each under the partner's category for its field
 * of action (`contactCategory`). Entries without a basis are left out and the refusal is reported whether or
 * not such entries exist, so the answer does not tell that, say, a welfare organisation counsels the person.
 * Where one subgraph serves several agencies (municipalities), another agency's entries are never own task.
 */
export async function gateContacts(
  ctx: GateContext,
  info: GraphQLResolveInfo,
  personId: string,
  contacts: HeldContact[],
  partner: AgencyKind,
  field: string,
): Promise<HeldContact[]> {
  const categories = [...new Set(CONTACT_FIELDS[partner].map((f) => contactCategory(partner, f)))];
  const caller = ctx.access.caller;
  const split = partner === 'municipality' || partner === 'socialcare';
  let released = contacts;
  for (const category of categories) {
    const ofCategory = (c: HeldContact) => contactCategory(partner, c.fieldOfAction) === category;
    if (split && caller.agency.kind === partner) {
      released = await gateItems(ctx, info, personId, released, {
        applies: (c) => ofCategory(c) && c.agency === caller.agency.id,
        category,
        holder: 'any',
        field: `${field}[${category}]`,
      });
      released = await gateItems(ctx, info, personId, released, {
        applies: (c) => ofCategory(c) && c.agency !== caller.agency.id,
        category,
        holder: 'others',
        field: `${field}[${category}, other ${partner === 'municipality' ? 'municipalities' : 'organisations'}]`,
      });
    } else {
      released = await gateItems(ctx, info, personId, released, {
        applies: ofCategory,
        category,
        holder: 'any',
        field: `${field}[${category}]`,
      });
    }
  }
  return released;
}

/** A partner's own contact assignments: only its own staff, only its own records. */
export class ContactService {
  constructor(private readonly db: EntityManager) {}

  /** Makes one of the caller's own staff the person's contact for a field, ending the one before it. */
  async assign(caller: Caller, personId: string, input: AssignContactInput): Promise<ContactAssignmentRecord> {
    if (!CONTACT_FIELDS[caller.agency.kind].includes(input.fieldOfAction)) {
      throw badUserInput([
        {
          field: 'input.fieldOfAction',
          message: `${caller.agency.kind} assigns contacts for ${CONTACT_FIELDS[caller.agency.kind].join(', ')}`,
        },
      ]);
    }
    const staff = await this.db
      .getRepository(StaffMember)
      .findOneBy({ id: input.staffId.toLowerCase(), agency: caller.agency.id });
    if (!staff) throw notFound(`No staff member ${input.staffId} of ${caller.agency.id}`);
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `contact:${personId}:${caller.agency.id}:${input.fieldOfAction}`,
      ]);
      const repository = manager.getRepository(ContactAssignment);
      const current = await repository.findOneBy({
        personId,
        agency: caller.agency.id,
        fieldOfAction: input.fieldOfAction,
        until: IsNull(),
      });
      if (current && input.since < current.since) {
        throw badUserInput([
          { field: 'input.since', message: 'must not be before the start of the current contact for this field' },
        ]);
      }
      if (current) await repository.update({ id: current.id }, { until: input.since });
      const created = await repository.save(
        repository.create({
          personId,
          agency: caller.agency.id,
          fieldOfAction: input.fieldOfAction,
          staffId: staff.id,
          since: input.since,
          until: null,
          recordedBy: caller.officer,
        }),
      );
      return recordOf(created);
    });
  }

  /** Ends one of the caller's own open assignments. */
  async end(caller: Caller, id: string, until: string): Promise<ContactAssignmentRecord> {
    const repository = this.db.getRepository(ContactAssignment);
    const current = await repository.findOneBy({ id: id.toLowerCase(), agency: caller.agency.id, until: IsNull() });
    if (!current) throw notFound(`No open contact assignment ${id} of ${caller.agency.id}`);
    if (until < current.since)
      throw badUserInput([{ field: 'until', message: 'must not be before the contact began' }]);
    await repository.update({ id: current.id }, { until });
    return recordOf({ ...current, until });
  }

  /** Whether a contact assignment of the caller's own agency has this id (the OWN_RECORDS write scope). */
  isOwn(caller: Caller, id: string): Promise<boolean> {
    return this.db.getRepository(ContactAssignment).existsBy({ id, agency: caller.agency.id });
  }
}

function recordOf(row: ContactAssignment): ContactAssignmentRecord {
  return {
    id: row.id,
    personId: row.personId,
    fieldOfAction: row.fieldOfAction,
    staffId: row.staffId,
    since: row.since,
    until: row.until,
  };
}

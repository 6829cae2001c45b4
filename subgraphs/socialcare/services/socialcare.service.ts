import { IsNull, type EntityManager } from 'typeorm';
import type { Caller } from '../../../common/domain.js';
import { badUserInput, forbidden, notFound, type FieldProblem } from '../../../common/errors.js';
import { checkDates } from '../../../common/validation.js';
import { Assignment } from '../entities/assignment.entity.js';
import { CaseNote } from '../entities/case-note.entity.js';
import { Caseworker } from '../entities/caseworker.entity.js';
import { WelfareOrganisation } from '../entities/organisation.entity.js';
import type { SocialCareCase } from '../entities/person.type.js';
import { SpecialNeed } from '../entities/special-need.entity.js';
import { Participation } from '../entities/participation.entity.js';
import { SupportNeed } from '../entities/support-need.entity.js';
import type { ParticipationInput } from '../inputs/participation.input.js';
import type { SpecialNeedInput, SupportNeedInput } from '../inputs/socialcare.input.js';

/** The longest case note, in characters. */
export const MAX_NOTE_LENGTH = 4000;

function checkText(problems: FieldProblem[], field: string, value: string, max: number): void {
  if (value.trim().length === 0) problems.push({ field, message: 'must not be empty' });
  else if (value.length > max) problems.push({ field, message: `must be at most ${max} characters` });
}

function toCase(assignment: Assignment): SocialCareCase {
  return {
    personId: assignment.personId,
    organisationId: assignment.organisationId,
    caseworkerId: assignment.caseworkerId,
    since: assignment.since,
  };
}

/** The organisation a socialcare caller acts for; the operation table admits only welfare organisations to casework. */
export function providerOf(caller: Caller): string {
  const provider = caller.agency.provider;
  if (caller.agency.kind !== 'socialcare' || !provider) throw forbidden('Only a welfare organisation has clients');
  return provider;
}

/**
 * A welfare organisation's casework: assignments, support needs, special needs and case notes. Every write
 * is for the caller's own organisation and only for persons not counselled by another organisation.
 */
export class SocialcareService {
  constructor(private readonly db: EntityManager) {}

  /** Which of these persons have an open assignment at the organisation; one statement. */
  async ownClients(organisationId: string, personIds: string[]): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const rows: { person_id: string }[] = await this.db.query(
      `SELECT person_id FROM assignment WHERE organisation_id = $1 AND until IS NULL AND person_id = ANY($2::uuid[])`,
      [organisationId, personIds],
    );
    return new Set(rows.map((row) => row.person_id));
  }

  organisations(): Promise<WelfareOrganisation[]> {
    return this.db.getRepository(WelfareOrganisation).find({ order: { name: 'ASC' } });
  }

  /** The organisation's current clients, most recently assigned first. */
  clients(organisationId: string, options: { first: number; offset: number }): Promise<Assignment[]> {
    return this.db.getRepository(Assignment).find({
      where: { organisationId, until: IsNull() },
      order: { since: 'DESC', personId: 'ASC' },
      take: options.first,
      skip: options.offset,
    });
  }

  /**
   * Closes the organisation's open assignment of the person, if any, and opens one with this caseworker, in
   * `municipalityAgs` or else where the earlier one was.
   */
  async assignCaseworker(
    caller: Caller,
    personId: string,
    caseworkerId: string,
    since: string,
    municipalityAgs?: string | null,
  ): Promise<SocialCareCase> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['since', since, 'past']]);
    if (problems.length) throw badUserInput(problems);
    const organisationId = providerOf(caller);
    return this.db.transaction(async (manager) => {
      const open = await this.lockOwnOrUnassigned(manager, organisationId, personId);
      const caseworker = await manager.getRepository(Caseworker).findOneBy({ id: caseworkerId });
      if (!caseworker || caseworker.organisationId !== organisationId) {
        problems.push({ field: 'caseworkerId', message: 'must be a caseworker of your organisation' });
      }
      if (open && since < open.since) {
        problems.push({ field: 'since', message: `must not be before the current assignment's start ${open.since}` });
      }
      if (problems.length) throw badUserInput(problems);
      if (open) await manager.getRepository(Assignment).update({ id: open.id }, { until: since });
      const created = manager.getRepository(Assignment).create({
        personId,
        organisationId,
        caseworkerId,
        since,
        until: null,
        municipalityAgs: municipalityAgs ?? open?.municipalityAgs ?? null,
      });
      return toCase(await manager.getRepository(Assignment).save(created));
    });
  }

  async openSupportNeed(caller: Caller, personId: string, input: SupportNeedInput): Promise<SupportNeed> {
    const problems: FieldProblem[] = [];
    checkText(problems, 'description', input.description, 2000);
    checkDates(problems, [['openedOn', input.openedOn, 'past']]);
    if (problems.length) throw badUserInput(problems);
    const organisationId = providerOf(caller);
    return this.db.transaction(async (manager) => {
      await this.lockOwnOrUnassigned(manager, organisationId, personId);
      const need = manager.getRepository(SupportNeed).create({
        personId,
        organisationId,
        field: input.field,
        description: input.description.trim(),
        openedOn: input.openedOn,
        closedOn: null,
      });
      return manager.getRepository(SupportNeed).save(need);
    });
  }

  async closeSupportNeed(caller: Caller, id: string, closedOn: string): Promise<SupportNeed> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['closedOn', closedOn, 'past']]);
    if (problems.length) throw badUserInput(problems);
    const organisationId = providerOf(caller);
    return this.db.transaction(async (manager) => {
      const repository = manager.getRepository(SupportNeed);
      const found = await repository.findOneBy({ id, organisationId });
      // Another organisation's need is reported as missing, so its existence does not leak.
      if (!found) throw notFound(`No support need ${id} of your organisation`);
      await this.lockOwnOrUnassigned(manager, organisationId, found.personId);
      const need = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!need) throw notFound(`No support need ${id} of your organisation`);
      if (need.closedOn) problems.push({ field: 'id', message: `the need was already closed on ${need.closedOn}` });
      else if (closedOn < need.openedOn)
        problems.push({ field: 'closedOn', message: `must not be before openedOn ${need.openedOn}` });
      if (problems.length) throw badUserInput(problems);
      need.closedOn = closedOn;
      return repository.save(need);
    });
  }

  /** Records that a client of the caller's organisation (or a person counselled nowhere) takes part in an offer. */
  async recordParticipation(caller: Caller, personId: string, input: ParticipationInput): Promise<Participation> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['since', input.since, 'past']]);
    if (problems.length) throw badUserInput(problems);
    const organisationId = providerOf(caller);
    return this.db.transaction(async (manager) => {
      await this.lockOwnOrUnassigned(manager, organisationId, personId);
      const repository = manager.getRepository(Participation);
      return repository.save(
        repository.create({
          personId,
          organisationId,
          kind: input.kind,
          since: input.since,
          until: null,
          recordedBy: caller.officer,
        }),
      );
    });
  }

  /** Ends one of the organisation's own participation records on a day (it no longer counts from that day). */
  async endParticipation(caller: Caller, id: string, until: string): Promise<Participation> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['until', until, 'past']]);
    if (problems.length) throw badUserInput(problems);
    const organisationId = providerOf(caller);
    return this.db.transaction(async (manager) => {
      const repository = manager.getRepository(Participation);
      // Another organisation's record is reported as missing, so its existence does not leak.
      const found = await repository.findOneBy({ id, organisationId });
      if (!found) throw notFound(`No participation ${id} of your organisation`);
      await this.lockOwnOrUnassigned(manager, organisationId, found.personId);
      const record = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!record) throw notFound(`No participation ${id} of your organisation`);
      if (record.until) problems.push({ field: 'id', message: `the participation already ended on ${record.until}` });
      else if (until < record.since)
        problems.push({ field: 'until', message: `must not be before since ${record.since}` });
      if (problems.length) throw badUserInput(problems);
      record.until = until;
      return repository.save(record);
    });
  }

  async recordSpecialNeed(caller: Caller, personId: string, input: SpecialNeedInput): Promise<SpecialNeed> {
    const problems: FieldProblem[] = [];
    checkText(problems, 'description', input.description, 2000);
    checkDates(problems, [['recordedOn', input.recordedOn, 'past']]);
    if (problems.length) throw badUserInput(problems);
    const organisationId = providerOf(caller);
    return this.db.transaction(async (manager) => {
      await this.lockOwnOrUnassigned(manager, organisationId, personId);
      const need = manager.getRepository(SpecialNeed).create({
        personId,
        organisationId,
        kind: input.kind,
        description: input.description.trim(),
        recordedOn: input.recordedOn,
      });
      return manager.getRepository(SpecialNeed).save(need);
    });
  }

  /** The organisation's own notes on the person, oldest first; never another organisation's. */
  caseNotes(caller: Caller, personId: string): Promise<CaseNote[]> {
    return this.db.getRepository(CaseNote).find({
      where: { personId, organisationId: providerOf(caller) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async addCaseNote(caller: Caller, personId: string, text: string): Promise<CaseNote> {
    const problems: FieldProblem[] = [];
    checkText(problems, 'text', text, MAX_NOTE_LENGTH);
    if (problems.length) throw badUserInput(problems);
    const organisationId = providerOf(caller);
    return this.db.transaction(async (manager) => {
      await this.lockOwnOrUnassigned(manager, organisationId, personId);
      const note = manager.getRepository(CaseNote).create({
        personId,
        organisationId,
        author: caller.officer,
        text: text.trim(),
        createdAt: new Date(),
      });
      return manager.getRepository(CaseNote).save(note);
    });
  }

  /**
   * Serialises writes about one person (a transaction-scoped advisory lock) and checks that the person is
   * not another organisation's client. Returns the organisation's own open assignment, if any.
   */
  private async lockOwnOrUnassigned(
    manager: EntityManager,
    organisationId: string,
    personId: string,
  ): Promise<Assignment | null> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`socialcare-person:${personId}`]);
    const organisation = await manager.getRepository(WelfareOrganisation).findOneBy({ id: organisationId });
    if (!organisation) throw forbidden(`${organisationId} is not a registered welfare organisation`);
    const open = await manager.getRepository(Assignment).findOneBy({ personId, until: IsNull() });
    if (open && open.organisationId !== organisationId) {
      throw forbidden('The person is counselled by another organisation; only that organisation writes for them');
    }
    return open;
  }
}

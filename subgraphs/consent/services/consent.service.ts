import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../../../common/domain.js';
import {
  badUserInput,
  conflict,
  forbidden,
  notFound,
  requirePersonId,
  type FieldProblem,
} from '../../../common/errors.js';
import { Consent } from '../entities/consent.entity.js';
import type { ConsentTermsInput } from '../inputs/consent.input.js';

/** Consents are recorded, changed and withdrawn by consent officers, for consent management only. */
export function requireConsentOfficer(caller: Caller): void {
  if (!caller.roles.includes('CONSENT_OFFICER')) throw forbidden('Only consent officers manage consents');
  if (caller.purpose !== 'CONSENT_MANAGEMENT')
    throw forbidden('Consents are managed for purpose CONSENT_MANAGEMENT only');
}

function checkTerms(terms: ConsentTermsInput, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const validFrom = terms.validFrom ?? terms.givenAt;
  if (terms.givenAt > now) problems.push({ field: 'givenAt', message: 'must not be in the future' });
  if (terms.validUntil && terms.validUntil <= validFrom)
    problems.push({ field: 'validUntil', message: 'must be after validFrom' });
  const duplicate = (list: string[]) => new Set(list).size !== list.length;
  if (duplicate(terms.recipients)) problems.push({ field: 'recipients', message: 'lists an agency twice' });
  if (duplicate(terms.purposes)) problems.push({ field: 'purposes', message: 'lists a purpose twice' });
  if (duplicate(terms.categories)) problems.push({ field: 'categories', message: 'lists a category twice' });
  if (terms.purposes.includes('MONITORING'))
    problems.push({ field: 'purposes', message: 'MONITORING uses aggregates only and needs no consent' });
  return problems;
}

/** The consent registry: every change is a new version in one transaction, old versions stay. */
export class ConsentService {
  constructor(private readonly db: EntityManager) {}

  async record(caller: Caller, personId: string, terms: ConsentTermsInput): Promise<Consent> {
    const problems = checkTerms(terms, new Date());
    if (problems.length) throw badUserInput(problems);
    return this.db.getRepository(Consent).save(this.version(caller, randomUUID(), 1, requirePersonId(personId), terms));
  }

  /** Changes the terms: the current version is kept as history and a new one decides from now on. */
  async change(caller: Caller, id: string, terms: ConsentTermsInput): Promise<Consent> {
    const problems = checkTerms(terms, new Date());
    if (problems.length) throw badUserInput(problems);
    return this.db.transaction(async (manager) => {
      const current = await this.lockCurrent(manager, id);
      if (current.withdrawnAt)
        throw badUserInput([{ field: 'id', message: 'the consent is withdrawn; record a new one' }]);
      await manager.getRepository(Consent).update({ id, version: current.version }, { isCurrent: false });
      return manager
        .getRepository(Consent)
        .save(this.version(caller, id, current.version + 1, current.personId, terms));
    });
  }

  /** Withdraws at once: the next request of any recipient is refused. */
  async withdraw(caller: Caller, id: string, reason: string | null | undefined): Promise<Consent> {
    return this.db.transaction(async (manager) => {
      const current = await this.lockCurrent(manager, id);
      if (current.withdrawnAt) return current;
      const withdrawn = manager.getRepository(Consent).create({
        ...current,
        version: current.version + 1,
        withdrawnAt: new Date(),
        withdrawalReason: reason?.trim() || null,
        recordedByOfficer: caller.officer,
        recordedByAgency: caller.agency.id,
        recordedAt: new Date(),
      });
      await manager.getRepository(Consent).update({ id, version: current.version }, { isCurrent: false });
      return manager.getRepository(Consent).save(withdrawn);
    });
  }

  /**
   * Locks the current version of a consent for a change. A change that waited for another one's lock finds
   * the version it waited for no longer current (PostgreSQL re-checks the row after the wait, and the newer
   * version is not in this statement's snapshot): that is a lost race, not a missing consent.
   */
  private async lockCurrent(manager: EntityManager, id: string): Promise<Consent> {
    const repository = manager.getRepository(Consent);
    const key = requirePersonId(id, 'id');
    const current = await repository.findOne({
      where: { id: key, isCurrent: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (current) return current;
    if (await repository.exists({ where: { id: key } })) {
      throw conflict('The consent was changed by someone else at the same time; read it again');
    }
    throw notFound(`No consent with id ${id}`);
  }

  private version(caller: Caller, id: string, version: number, personId: string, terms: ConsentTermsInput): Consent {
    return this.db.getRepository(Consent).create({
      id,
      version,
      isCurrent: true,
      personId,
      recipients: terms.recipients,
      purposes: terms.purposes,
      categories: terms.categories,
      givenAt: terms.givenAt,
      validFrom: terms.validFrom ?? terms.givenAt,
      validUntil: terms.validUntil ?? null,
      withdrawnAt: null,
      withdrawalReason: null,
      form: terms.form,
      evidenceReference: terms.evidenceReference,
      noticeVersion: terms.noticeVersion,
      noticeLanguage: terms.noticeLanguage,
      recordedByOfficer: caller.officer,
      recordedByAgency: caller.agency.id,
      recordedAt: new Date(),
    });
  }
}

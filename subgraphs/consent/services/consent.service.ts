import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { localDateOf } from '../../../common/district-time.js';
import { ACCESS_REQUEST, type Caller } from '../../../common/domain.js';
import { badUserInput, conflict, forbidden, notFound, type FieldProblem } from '../../../common/errors.js';
import type { DistrictSettings } from '../../../common/subgraph/definition.js';
import { EARLIEST_DATE, requirePersonId } from '../../../common/validation.js';
import { Consent } from '../entities/consent.entity.js';
import type { ConsentTermsInput } from '../inputs/consent.input.js';

/** Consents are recorded, changed and withdrawn by consent officers, for consent management only. */
export function requireConsentOfficer(caller: Caller): void {
  if (!caller.roles.includes('CONSENT_OFFICER')) throw forbidden('Only consent officers manage consents');
  if (caller.purpose !== 'CONSENT_MANAGEMENT')
    throw forbidden('Consents are managed for purpose CONSENT_MANAGEMENT only');
}

/** How far ahead of the registry's clock `givenAt` may be (a browser's clock running a little fast). */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/** Asks the county for a person's date of birth; null when the county has none to tell. */
export type BirthDateLookup = (personId: string) => Promise<string | null>;

/**
 * Why these terms cannot be right, per field: the server's rules (the console only mirrors them). `birthDate`
 * is the person's, from the county.
 */
export function termsProblems(
  terms: ConsentTermsInput,
  district: DistrictSettings,
  birthDate: string | null,
  now: Date,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const givenOn = localDateOf(terms.givenAt, district.timeZone);
  if (terms.givenAt.getTime() > now.getTime() + CLOCK_TOLERANCE_MS)
    problems.push({ field: 'givenAt', message: 'must not be in the future' });
  else if (givenOn < EARLIEST_DATE) problems.push({ field: 'givenAt', message: `must not be before ${EARLIEST_DATE}` });
  else if (birthDate && givenOn < birthDate)
    problems.push({ field: 'givenAt', message: `must not be before the person's date of birth (${birthDate})` });
  const validFrom = terms.validFrom ?? givenOn;
  if (validFrom < givenOn)
    problems.push({ field: 'validFrom', message: `must not be before the day the consent was given (${givenOn})` });
  if (terms.validUntil && terms.validUntil <= validFrom)
    problems.push({ field: 'validUntil', message: 'must be after validFrom' });
  const duplicate = (list: string[]) => new Set(list).size !== list.length;
  if (duplicate(terms.recipients)) problems.push({ field: 'recipients', message: 'lists an agency twice' });
  else {
    const unknown = terms.recipients.filter((r) => !district.agencies.has(r));
    if (unknown.length)
      problems.push({ field: 'recipients', message: `not agencies of the district: ${unknown.join(', ')}` });
  }
  if (duplicate(terms.purposes)) problems.push({ field: 'purposes', message: 'lists a purpose twice' });
  if (duplicate(terms.categories)) problems.push({ field: 'categories', message: 'lists a category twice' });
  if (terms.purposes.includes('MONITORING'))
    problems.push({ field: 'purposes', message: 'MONITORING uses aggregates only and needs no consent' });
  if (terms.purposes.includes(ACCESS_REQUEST))
    problems.push({
      field: 'purposes',
      message: `${ACCESS_REQUEST} answers the person's own access request (Art. 15 GDPR) and is nothing a person consents to`,
    });
  if (!terms.evidenceReference.trim()) problems.push({ field: 'evidenceReference', message: 'must not be blank' });
  if (!district.notices.hasVersion(terms.noticeVersion)) {
    problems.push({
      field: 'noticeVersion',
      message: `is not a notice of the district: ${district.notices.notices.map((n) => n.version).join(', ')}`,
    });
  } else if (!district.notices.has(terms.noticeVersion, terms.noticeLanguage)) {
    const languages = district.notices.notices.find((n) => n.version === terms.noticeVersion)!.languages;
    problems.push({
      field: 'noticeLanguage',
      message: `notice ${terms.noticeVersion} exists in ${languages.join(', ')} only`,
    });
  }
  return problems;
}

/** True when two consents could both decide the same field on some day: same person, a shared triple, overlapping days. */
export function overlaps(a: OverlapTerms, b: OverlapTerms): boolean {
  const shares = (x: string[], y: string[]) => x.some((v) => y.includes(v));
  if (!shares(a.recipients, b.recipients) || !shares(a.purposes, b.purposes) || !shares(a.categories, b.categories))
    return false;
  return (
    (a.validUntil === null || b.validFrom <= a.validUntil) && (b.validUntil === null || a.validFrom <= b.validUntil)
  );
}

type OverlapTerms = Pick<Consent, 'recipients' | 'purposes' | 'categories' | 'validFrom' | 'validUntil'>;

/** The registry: every change is a new version in one transaction, old versions stay; a stale version is refused. */
export class ConsentService {
  constructor(
    private readonly db: EntityManager,
    private readonly district: DistrictSettings,
    private readonly birthDate: BirthDateLookup,
  ) {}

  /** The terms as they would be stored: validFrom defaults to the day of givenAt in the district. */
  normalise(terms: ConsentTermsInput): Pick<Consent, 'validFrom' | 'validUntil'> & ConsentTermsInput {
    return {
      ...terms,
      validFrom: terms.validFrom ?? localDateOf(terms.givenAt, this.district.timeZone),
      validUntil: terms.validUntil ?? null,
      evidenceReference: terms.evidenceReference.trim(),
    };
  }

  private async check(personId: string, terms: ConsentTermsInput): Promise<void> {
    const problems = termsProblems(terms, this.district, null, new Date());
    if (problems.length) throw badUserInput(problems);
    const birthDate = await this.birthDate(personId);
    const withBirth = termsProblems(terms, this.district, birthDate, new Date());
    if (withBirth.length) throw badUserInput(withBirth);
  }

  async record(caller: Caller, personId: string, terms: ConsentTermsInput): Promise<Consent> {
    const person = requirePersonId(personId);
    await this.check(person, terms);
    return this.db.getRepository(Consent).save(this.version(caller, randomUUID(), 1, person, terms));
  }

  /**
   * The consents in force or to come of a person that share a recipient, purpose and category with `terms`
   * on some day (`exceptId` left out: the consent being changed).
   */
  async overlapping(personId: string, terms: OverlapTerms, exceptId?: string): Promise<Consent[]> {
    const current = await this.db.getRepository(Consent).find({
      where: { personId: requirePersonId(personId), isCurrent: true },
      order: { givenAt: 'DESC' },
    });
    const today = localDateOf(new Date(), this.district.timeZone);
    return current.filter(
      (c) =>
        c.id !== exceptId &&
        !c.withdrawnAt &&
        !c.voidedAt &&
        (c.validUntil === null || c.validUntil >= today) &&
        overlaps(c, terms),
    );
  }

  /** Changes the terms: the version the officer saw is kept as history and a new one decides from now on. */
  async change(caller: Caller, id: string, expectedVersion: number, terms: ConsentTermsInput): Promise<Consent> {
    const seen = await this.db
      .getRepository(Consent)
      .findOne({ where: { id: requirePersonId(id, 'id'), isCurrent: true } });
    if (seen) await this.check(seen.personId, terms);
    return this.db.transaction(async (manager) => {
      const current = await this.lockCurrent(manager, id, expectedVersion);
      if (current.voidedAt) throw badUserInput([{ field: 'id', message: 'the consent is voided; record a new one' }]);
      if (current.withdrawnAt)
        throw badUserInput([{ field: 'id', message: 'the consent is withdrawn; record a new one' }]);
      if (!seen || seen.personId !== current.personId) await this.check(current.personId, terms);
      await manager.getRepository(Consent).update({ id, version: current.version }, { isCurrent: false });
      return manager
        .getRepository(Consent)
        .save(this.version(caller, id, current.version + 1, current.personId, terms));
    });
  }

  /** Withdraws at once: the next request of any recipient is refused. */
  async withdraw(
    caller: Caller,
    id: string,
    expectedVersion: number,
    reason: string | null | undefined,
  ): Promise<Consent> {
    return this.db.transaction(async (manager) => {
      const current = await this.lockCurrent(manager, id, expectedVersion);
      if (current.voidedAt) throw badUserInput([{ field: 'id', message: 'the consent is voided; it allows nothing' }]);
      if (current.withdrawnAt) return current;
      return this.successor(manager, caller, current, {
        withdrawnAt: new Date(),
        withdrawalReason: reason?.trim() || null,
      });
    });
  }

  /**
   * Voids a consent recorded in error (wrong person, never given): from the next request on it allows nothing,
   * and what was disclosed on it stays on record, marked as made on a consent later voided.
   */
  async void(caller: Caller, id: string, expectedVersion: number, reason: string): Promise<Consent> {
    const why = reason.trim();
    if (!why) throw badUserInput([{ field: 'reason', message: 'must say why the consent is void' }]);
    return this.db.transaction(async (manager) => {
      const current = await this.lockCurrent(manager, id, expectedVersion);
      if (current.voidedAt) throw badUserInput([{ field: 'id', message: 'the consent is already voided' }]);
      return this.successor(manager, caller, current, { voidedAt: new Date(), voidReason: why });
    });
  }

  private async successor(
    manager: EntityManager,
    caller: Caller,
    current: Consent,
    change: Partial<Consent>,
  ): Promise<Consent> {
    const next = manager.getRepository(Consent).create({
      ...current,
      ...change,
      version: current.version + 1,
      recordedByOfficer: caller.officer,
      recordedByAgency: caller.agency.id,
      recordedAt: new Date(),
    });
    await manager.getRepository(Consent).update({ id: current.id, version: current.version }, { isCurrent: false });
    return manager.getRepository(Consent).save(next);
  }

  /**
   * Locks the current version of a consent for a change and checks that it is the version the officer saw.
   * A change that waited for another one's lock finds the version it waited for no longer current (PostgreSQL
   * re-checks the row after the wait): that is a lost race, answered like a stale version, with the winner.
   */
  private async lockCurrent(manager: EntityManager, id: string, expectedVersion: number): Promise<Consent> {
    const repository = manager.getRepository(Consent);
    const key = requirePersonId(id, 'id');
    const current = await repository.findOne({
      where: { id: key, isCurrent: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (current && current.version === expectedVersion) return current;
    if (current) throw stale(current, expectedVersion, 'since you read it');
    // Lost the race: the winner's version is committed and visible to this new statement.
    const winner = await repository.findOne({ where: { id: key, isCurrent: true } });
    if (winner) throw stale(winner, expectedVersion, 'at the same time');
    throw notFound(`No consent with id ${id}`);
  }

  private version(caller: Caller, id: string, version: number, personId: string, terms: ConsentTermsInput): Consent {
    const normal = this.normalise(terms);
    return this.db.getRepository(Consent).create({
      id,
      version,
      isCurrent: true,
      personId,
      recipients: terms.recipients,
      purposes: terms.purposes,
      categories: terms.categories,
      givenAt: terms.givenAt,
      validFrom: normal.validFrom,
      validUntil: normal.validUntil,
      withdrawnAt: null,
      withdrawalReason: null,
      voidedAt: null,
      voidReason: null,
      form: terms.form,
      evidenceReference: normal.evidenceReference,
      noticeVersion: terms.noticeVersion,
      noticeLanguage: terms.noticeLanguage,
      recordedByOfficer: caller.officer,
      recordedByAgency: caller.agency.id,
      recordedAt: new Date(),
    });
  }
}

/** CONFLICT naming the current version, who made it and when; nothing was written. */
function stale(current: Consent, expectedVersion: number, when: string): GraphQLError {
  const what = current.voidedAt ? 'voided' : current.withdrawnAt ? 'withdrawn' : 'changed';
  return conflict(
    `The consent was changed by someone else ${when}; read it again. You saw version ${expectedVersion}; version ${current.version} is current (${what} by ${current.recordedByOfficer}, ${current.recordedByAgency}, at ${current.recordedAt.toISOString()}). Nothing was written.`,
    {
      expectedVersion,
      currentVersion: current.version,
      changedBy: { officer: current.recordedByOfficer, agency: current.recordedByAgency },
      changedAt: current.recordedAt.toISOString(),
    },
  );
}

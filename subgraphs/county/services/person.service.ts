import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badUserInput, notFound, type FieldProblem } from '../../../common/errors.js';
import { checkDates, checkPageSize } from '../../../common/validation.js';
import type { Caller } from '../../../common/domain.js';
import { ClearingProfileRow, LanguageSkill, Qualification, WorkExperience } from '../entities/clearing.entity.js';
import { Person } from '../entities/person.entity.js';
import type { Registration } from '../entities/registration.type.js';
import { assignedToCaller } from './registrations-lookup.js';
import type { ClearingInput, RegisterPersonInput, ResidenceInput } from '../inputs/person.input.js';

/** The county's registration and residence records. */
export class PersonService {
  constructor(private readonly db: EntityManager) {}

  /** Which of these ids the county issued, and whether each person is assigned to the caller's municipality. */
  async registrations(caller: Caller, ids: string[]): Promise<Registration[]> {
    if (ids.length === 0) return [];
    const rows: { id: string; assigned_municipality_ags: string | null; date_of_birth: string }[] = await this.db.query(
      `SELECT id, assigned_municipality_ags, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth FROM person WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id,
      assignedToCaller: assignedToCaller(caller, row.assigned_municipality_ags),
      dateOfBirth: row.date_of_birth,
    }));
  }

  /** Registers a person and issues the id every partner will key its records by. */
  async register(caller: Caller, input: RegisterPersonInput): Promise<Person> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [
      ['dateOfBirth', input.dateOfBirth, 'past'],
      ['arrivalDate', input.arrivalDate, 'past'],
      ['residence.validUntil', input.residence.validUntil, 'future'],
    ]);
    if (input.arrivalDate < input.dateOfBirth)
      problems.push({ field: 'arrivalDate', message: 'must not be before dateOfBirth' });
    if (problems.length) throw badUserInput(problems);
    const person = this.db.getRepository(Person).create({
      id: randomUUID(),
      givenName: input.givenName.trim(),
      familyName: input.familyName.trim(),
      dateOfBirth: input.dateOfBirth,
      gender: input.gender,
      nationality: input.nationality,
      arrivalDate: input.arrivalDate,
      residenceStatus: input.residence.status,
      residenceValidUntil: input.residence.validUntil ?? null,
      assignedMunicipalityAgs: input.residence.assignedMunicipalityAgs ?? null,
      registeredAt: new Date(),
      registeredBy: caller.officer,
    });
    return this.db.getRepository(Person).save(person);
  }

  async updateResidence(personId: string, input: ResidenceInput): Promise<Person> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['residence.validUntil', input.validUntil, 'future']]);
    if (problems.length) throw badUserInput(problems);
    const repository = this.db.getRepository(Person);
    const person = await repository.findOneBy({ id: personId });
    if (!person) throw notFound(`No person with id ${personId}`);
    person.residenceStatus = input.status;
    person.residenceValidUntil = input.validUntil ?? null;
    person.assignedMunicipalityAgs = input.assignedMunicipalityAgs ?? null;
    return repository.save(person);
  }

  /** Replaces the clearing profile with its languages, qualifications and work experience in one transaction. */
  async recordClearing(caller: Caller, personId: string, input: ClearingInput): Promise<void> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['clearedOn', input.clearedOn, 'past']]);
    const languages = input.languages.map((l) => l.language);
    if (new Set(languages).size !== languages.length)
      problems.push({ field: 'languages', message: 'lists a language twice' });
    if (problems.length) throw badUserInput(problems);
    await this.db.transaction(async (manager) => {
      const person = await manager
        .getRepository(Person)
        .findOne({ where: { id: personId }, lock: { mode: 'pessimistic_write' } });
      if (!person) throw notFound(`No person with id ${personId}`);
      await manager.getRepository(ClearingProfileRow).save({
        personId,
        schoolYears: input.schoolYears,
        schoolDegree: input.schoolDegree,
        interests: input.interests,
        goals: input.goals,
        completedOn: input.clearedOn,
        recordedBy: caller.officer,
      });
      for (const entity of [LanguageSkill, Qualification, WorkExperience]) {
        await manager.getRepository(entity).delete({ personId });
      }
      if (input.languages.length)
        await manager.getRepository(LanguageSkill).insert(input.languages.map((l) => ({ ...l, personId })));
      if (input.qualifications.length)
        await manager.getRepository(Qualification).insert(input.qualifications.map((q) => ({ ...q, personId })));
      if (input.workExperience.length)
        await manager.getRepository(WorkExperience).insert(input.workExperience.map((w) => ({ ...w, personId })));
    });
  }

  /** The county's caseload: registered persons, newest first, optionally of one municipality. */
  list(options: { first: number; offset: number; municipalityAgs?: string | null }): Promise<Person[]> {
    return this.db.getRepository(Person).find({
      where: options.municipalityAgs ? { assignedMunicipalityAgs: options.municipalityAgs } : {},
      order: { registeredAt: 'DESC', id: 'ASC' },
      take: options.first,
      skip: options.offset,
    });
  }

  /**
   * A consent officer's search by name and/or date of birth: every word of `name` (at least 2 characters)
   * must start a given or family name, case-insensitively, or, from 3 letters on, sound like a part of one
   * (`name_key`: transliteration of Cyrillic, Arabic and Persian script, then the Kölner Phonetik; "Krawez" and
   * "Кравець" find "Kravets"). Persons whose names start with every word come first, then by name; at most
   * `first` (1 to 50).
   */
  async search(options: { name?: string | null; dateOfBirth?: string | null; first: number }): Promise<Person[]> {
    const name = options.name?.trim() ?? '';
    const problems: FieldProblem[] = [];
    if (!name && !options.dateOfBirth) problems.push({ field: 'name', message: 'give a name or a date of birth' });
    if (name && name.length < PERSON_SEARCH_MIN_NAME)
      problems.push({ field: 'name', message: `must have at least ${PERSON_SEARCH_MIN_NAME} characters` });
    if (name.length > 200) problems.push({ field: 'name', message: 'must have at most 200 characters' });
    checkPageSize(problems, options.first, PERSON_SEARCH_MAX);
    if (problems.length) throw badUserInput(problems);
    const query = this.db.getRepository(Person).createQueryBuilder('p');
    const exact: string[] = [];
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 5)
      .forEach((word, i) => {
        const pattern = `${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const prefix = `(p.given_name ILIKE :w${i} OR p.family_name ILIKE :w${i} OR p.family_name ILIKE :x${i} OR p.given_name ILIKE :x${i})`;
        exact.push(prefix);
        const sounds =
          [...word].filter((c) => /\p{L}/u.test(c)).length >= PERSON_SEARCH_MIN_SOUND
            ? ` OR (name_keys(p.given_name) || name_keys(p.family_name)) @> ARRAY[name_key(:w${i}raw)]`
            : '';
        query.andWhere(`(${prefix}${sounds})`, {
          [`w${i}`]: pattern,
          [`x${i}`]: `% ${pattern}`,
          [`w${i}raw`]: word,
        });
      });
    if (options.dateOfBirth) query.andWhere('p.date_of_birth = :dob', { dob: options.dateOfBirth });
    if (exact.length) query.orderBy(`CASE WHEN ${exact.join(' AND ')} THEN 0 ELSE 1 END`);
    return query
      .addOrderBy('p.family_name')
      .addOrderBy('p.given_name')
      .addOrderBy('p.id')
      .take(options.first)
      .getMany();
  }
}

/** The most persons one search returns, and the shortest name it accepts. */
export const PERSON_SEARCH_MAX = 50;
export const PERSON_SEARCH_MIN_NAME = 2;
/** The fewest letters a word needs to be matched by its sound as well. */
export const PERSON_SEARCH_MIN_SOUND = 3;

/**
 * Argument checks, in one place: ids and person ids (UUIDs, lower-cased), page sizes and offsets, stated dates
 * and the class-validator rules of input types. Each refusal is BAD_USER_INPUT naming the field
 * (`common/errors.ts` builds the error), so a caller learns what is wrong before anything is read or written.
 */
import { ValidateBy, validateOrReject, type ValidationError, type ValidationOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { badUserInput, type FieldProblem } from './errors.js';
import { today } from './scalars.js';

/**
 * The earliest date a stated fact may carry. 1900, not 1990: persons are registered with their date of birth
 * and their history (an adult client born, or living somewhere, before 1990 is ordinary), and the disclosure
 * log bounds its times the same way (`common/audit/witness/wire.ts`); a later floor would refuse true facts.
 */
export const EARLIEST_DATE = '1900-01-01';

/** When a date may lie: up to today (`past`), from today on (`future`), or either (`any`). */
export type DateWhen = 'past' | 'future' | 'any';

/** Why a LocalDate (YYYY-MM-DD) is out of range, or null when it is fine. */
export function dateProblem(value: string, when: DateWhen, now = today()): string | null {
  if (value < EARLIEST_DATE) return `must not be before ${EARLIEST_DATE}`;
  if (when === 'past' && value > now) return 'must not be in the future';
  if (when === 'future' && value < now) return 'must not be in the past';
  return null;
}

/** Adds a problem for each stated date (absent ones are skipped) that `dateProblem` refuses. */
export function checkDates(
  problems: FieldProblem[],
  checks: [field: string, value: string | null | undefined, when: DateWhen][],
): void {
  const now = today();
  for (const [field, value, when] of checks) {
    const message = value ? dateProblem(value, when, now) : null;
    if (message) problems.push({ field, message });
  }
}

/**
 * A LocalDate (YYYY-MM-DD) from `EARLIEST_DATE` to today (UTC): for events already past, such as a move or
 * the opening of a support need. As an input decorator it is reported with the input's other problems at once.
 */
export function IsPastLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPastLocalDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && dateProblem(value, 'past') === null,
        defaultMessage: () => `must be a date from ${EARLIEST_DATE} to today, not in the future`,
      },
    },
    options,
  );
}

const VALIDATOR_OPTIONS = { skipMissingProperties: true, forbidUnknownValues: false };

/**
 * Validates a resolver argument with class-validator, as type-graphql does by default, but with the
 * validator imported once: type-graphql's own path imports it dynamically on every call, which under tsx
 * costs a round trip to the loader for every request with an object or list argument.
 */
export async function validateArgument(value: unknown): Promise<void> {
  const items = (Array.isArray(value) ? value : [value]).filter(
    (item): item is object => item !== null && typeof item === 'object',
  );
  if (items.length === 0) return;
  try {
    await Promise.all(items.map((item) => validateOrReject(item, VALIDATOR_OPTIONS)));
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
}

/** A UUID in any case; ids are stored lower-case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** Adds a problem unless a page size `first` is a whole number from `min` (1, or 0 where nothing may be asked for) to `max`. */
export function checkPageSize(problems: FieldProblem[], first: number, max: number, min = 1): void {
  if (!Number.isInteger(first) || first < min || first > max)
    problems.push({ field: 'first', message: `must be from ${min} to ${max}` });
}

/** Checks list paging arguments, reporting both problems at once. */
export function requirePage(first: number, offset: number, max = 500): void {
  const problems: FieldProblem[] = [];
  checkPageSize(problems, first, max);
  if (offset < 0) problems.push({ field: 'offset', message: 'must not be negative' });
  if (problems.length) throw badUserInput(problems);
}

/**
 * Checks an id argument and returns it lower-cased; a malformed id is the caller's mistake (BAD_USER_INPUT),
 * not a missing record. `what` names the id in the message, e.g. `an enrolment id`.
 */
export function requireId(value: string, field = 'id', what = 'an id'): string {
  if (!isUuid(value)) throw badUserInput([{ field, message: `must be ${what} (UUID)` }]);
  return value.toLowerCase();
}

/**
 * The person ids of a lookup's body (`personIds`): a list of at most `max` strings, of which only UUIDs can
 * name a person (others match nothing and are dropped), lower-cased. Throws BAD_USER_INPUT for anything else.
 */
export function lookupPersonIds(personIds: unknown, max: number): string[] {
  if (!Array.isArray(personIds) || !personIds.every((id) => typeof id === 'string')) {
    throw badUserInput([{ field: 'personIds', message: 'must be a list of person ids' }]);
  }
  if (personIds.length > max) throw badUserInput([{ field: 'personIds', message: `at most ${max}` }]);
  return personIds.filter(isUuid).map((id) => id.toLowerCase());
}

/** Checks a person id argument; a malformed id is the caller's mistake, not a missing person. */
export function requirePersonId(value: string, field = 'personId'): string {
  return requireId(value, field, 'a person id');
}

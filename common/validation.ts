import { ValidateBy, validateOrReject, type ValidationError, type ValidationOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import type { FieldProblem } from './errors.js';
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

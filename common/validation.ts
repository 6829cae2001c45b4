import { ValidateBy, validateOrReject, type ValidationError, type ValidationOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { today } from './scalars.js';

/**
 * A LocalDate (YYYY-MM-DD) from 1990-01-01 to today (UTC): for events already past, such as a move or the
 * opening of a support need. As an input decorator it is reported with the input's other problems at once.
 */
export function IsPastLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPastLocalDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value >= '1990-01-01' && value <= today(),
        defaultMessage: () => 'must be a date from 1990-01-01 to today, not in the future',
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
  const items = (Array.isArray(value) ? value : [value]).filter((item): item is object => item !== null && typeof item === 'object');
  if (items.length === 0) return;
  try {
    await Promise.all(items.map((item) => validateOrReject(item, VALIDATOR_OPTIONS)));
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
}

import { ValidateBy, type ValidationOptions } from 'class-validator';
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

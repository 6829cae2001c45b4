import { ValidateBy, type ValidationOptions } from 'class-validator';
import { today } from '../../../common/scalars.js';

/** A LocalDate (YYYY-MM-DD) that is neither after today (UTC) nor before 1990. */
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

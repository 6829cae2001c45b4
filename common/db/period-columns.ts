import { Field } from 'type-graphql';
import { Column } from 'typeorm';
import { LocalDateScalar } from '../scalars.js';

/**
 * The columns that many records share: the day a period starts and ends, and who recorded it. Each decorator is
 * the pair a hand-written property would carry (the column, and the GraphQL field where the schema shows it), so
 * a record declares its fields in the schema's order and the columns stay exactly those its migration creates.
 */

/** A day the record names (`date` column, a `LocalDate` field that is always set), e.g. `since` or `starts`. */
export function DayColumn(column: { name?: string } = {}): PropertyDecorator {
  return (target, property) => {
    Column({ type: 'date', ...column })(target, property);
    Field(() => LocalDateScalar)(target, property);
  };
}

/** The day a period ends (`date` column, nullable field): null while it lasts. */
export function EndDayColumn(description?: string): PropertyDecorator {
  return (target, property) => {
    Column({ type: 'date', nullable: true })(target, property);
    Field(() => LocalDateScalar, { nullable: true, ...(description ? { description } : {}) })(target, property);
  };
}

/** The pseudonymous id of the caseworker who recorded the record (`recorded_by`): kept, never a field. */
export function RecordedByColumn(): PropertyDecorator {
  return (target, property) => Column({ type: 'text', name: 'recorded_by' })(target, property);
}

import { Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import { IsPastLocalDate } from '../../../common/validation.js';
import { AccommodationType } from '../entities/enums.js';

/** A move into accommodation of the caller's municipality. */
@InputType('AccommodationInput')
export class AccommodationInput {
  @Field(() => AccommodationType)
  type: AccommodationType;

  @Field(() => String, { description: 'Street, number and, where needed, flat, e.g. "Lindenstraße 12".' })
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  address: string;

  @Field(() => LocalDateScalar, { description: 'Moved in on this day; the current accommodation ends on it.' })
  @IsPastLocalDate()
  since: string;
}

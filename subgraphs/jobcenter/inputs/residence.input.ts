import { Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import { IsPastLocalDate } from '../../../common/validation.js';

/** Where a client lives from a given day on. */
@InputType('ClientResidenceInput')
export class ClientResidenceInput {
  @Field(() => String, { description: 'Official municipality key (AGS), eight digits.' })
  @Matches(/^\d{8}$/, { message: 'must be a municipality key (AGS) of eight digits' })
  municipalityAgs: string;

  @Field(() => LocalDateScalar, { description: 'Lives there since this day; the earlier residence ends on it.' })
  @IsPastLocalDate()
  since: string;
}

import { IsEnum } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import { IsPastLocalDate } from '../../../common/validation.js';
import { ParticipationKind } from '../entities/enums.js';

@InputType({ description: 'A person taking part in an offer, as the organisation learns of it.' })
export class ParticipationInput {
  @Field(() => ParticipationKind)
  @IsEnum(ParticipationKind)
  kind: ParticipationKind;

  @Field(() => LocalDateScalar, { description: 'The first day of taking part.' })
  @IsPastLocalDate()
  since: string;
}

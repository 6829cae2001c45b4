import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import { IsPastLocalDate } from '../../../common/validation.js';
import { EnrolmentKind } from '../entities/enums.js';

/** A childcare place or school enrolment in the caller's municipality. */
@InputType('EnrolmentInput')
export class EnrolmentInput {
  @Field(() => EnrolmentKind)
  kind: EnrolmentKind;

  @Field(() => String)
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  institution: string;

  @Field(() => Int, { nullable: true, description: 'School grade (Klassenstufe); only for SCHOOL.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(13)
  grade?: number | null;

  @Field(() => LocalDateScalar)
  @IsPastLocalDate()
  since: string;
}

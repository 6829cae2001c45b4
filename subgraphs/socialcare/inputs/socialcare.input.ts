import { IsEnum, Length } from 'class-validator';
import { IsPastLocalDate } from '../../../common/validation.js';
import { Field, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import { SpecialNeedKind, SupportField } from '../entities/enums.js';

@InputType()
export class SupportNeedInput {
  @Field(() => SupportField)
  @IsEnum(SupportField)
  field: SupportField;

  @Field(() => String)
  @Length(1, 2000)
  description: string;

  @Field(() => LocalDateScalar)
  @IsPastLocalDate()
  openedOn: string;
}

@InputType()
export class SpecialNeedInput {
  @Field(() => SpecialNeedKind)
  @IsEnum(SpecialNeedKind)
  kind: SpecialNeedKind;

  @Field(() => String)
  @Length(1, 2000)
  description: string;

  @Field(() => LocalDateScalar)
  @IsPastLocalDate()
  recordedOn: string;
}

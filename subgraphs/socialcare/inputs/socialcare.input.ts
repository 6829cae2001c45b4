import { IsEnum, Length, ValidateBy, type ValidationOptions } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LocalDateScalar, today } from '../../../common/scalars.js';
import { SpecialNeedKind, SupportField } from '../entities/enums.js';

/** A LocalDate that is not in the future, so it is reported with the input's other problems at once. */
function IsNotFuture(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isNotFuture', validator: { validate: (value: unknown) => typeof value === 'string' && value <= today() } },
    { message: 'must not be in the future', ...options },
  );
}

@InputType()
export class SupportNeedInput {
  @Field(() => SupportField)
  @IsEnum(SupportField)
  field: SupportField;

  @Field(() => String)
  @Length(1, 2000)
  description: string;

  @Field(() => LocalDateScalar)
  @IsNotFuture()
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
  @IsNotFuture()
  recordedOn: string;
}

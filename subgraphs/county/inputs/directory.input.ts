import { IsEmail, IsOptional, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { FieldOfAction } from '../../../common/integration/field-of-action.js';

@InputType({ description: "A line of the caller's own agency in the district's guide of responsibilities." })
export class DirectoryEntryInput {
  @Field(() => ID, {
    nullable: true,
    description: "An entry of the caller's own agency to change; without it a new entry is made.",
  })
  @IsOptional()
  @IsUUID()
  id?: string | null;

  @Field(() => FieldOfAction)
  fieldOfAction: FieldOfAction;

  @Field(() => String, {
    nullable: true,
    description:
      'The municipality (AGS) it is for; null for the whole district. A municipality keeps entries for itself only.',
  })
  @IsOptional()
  @Matches(/^\d{8}$/, { message: 'must be an eight-digit municipality key (AGS)' })
  municipality?: string | null;

  @Field(() => String)
  @Length(1, 200)
  office: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[0-9 +()/-]{3,50}$/, { message: 'must be a phone number' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  address?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  hours?: string | null;
}

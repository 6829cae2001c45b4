import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ArrayMaxSize, ArrayNotEmpty, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { Category, Purpose } from '../../../common/domain.js';
import { UUID_PATTERN } from '../../../common/errors.js';
import { ConsentForm, DataCategoryEnum, PurposeEnum } from '../entities/consent.entity.js';

const AGENCY = /^(county|jobcenter|municipality:\d{8}|socialcare:[a-z][a-z0-9-]{1,40})$/;

/** The content of a consent; recording and changing take the same fields. */
@InputType()
export class ConsentTermsInput {
  @Field(() => [String], { description: 'Receiving agencies, e.g. "jobcenter", "municipality:08999001".' })
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @Matches(AGENCY, {
    each: true,
    message: 'each recipient must be an agency: county, jobcenter, municipality:<AGS> or socialcare:<provider>',
  })
  recipients: string[];

  @Field(() => [PurposeEnum])
  @ArrayNotEmpty()
  purposes: Purpose[];

  @Field(() => [DataCategoryEnum])
  @ArrayNotEmpty()
  categories: Category[];

  @Field(() => GraphQLDateTimeISO, { description: 'When the person gave the consent.' })
  givenAt: Date;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Defaults to givenAt.' })
  validFrom?: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  validUntil?: Date | null;

  @Field(() => ConsentForm)
  form: ConsentForm;

  @Field(() => String)
  @Length(1, 200)
  evidenceReference: string;

  @Field(() => String)
  @Length(1, 50)
  noticeVersion: string;

  @Field(() => String)
  @Matches(/^[a-z]{2}$/, { message: 'must be an ISO 639-1 language code, e.g. de' })
  noticeLanguage: string;
}

@InputType()
export class RecordConsentInput extends ConsentTermsInput {
  @Field(() => ID)
  @Matches(UUID_PATTERN, { message: 'must be a person id (UUID)' })
  personId: string;
}

@InputType()
export class WithdrawConsentInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  reason?: string | null;
}

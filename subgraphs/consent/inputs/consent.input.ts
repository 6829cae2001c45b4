import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ArrayMaxSize, ArrayNotEmpty, IsOptional, Length, Matches, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { Category, Purpose } from '../../../common/domain.js';
import { UUID_PATTERN } from '../../../common/validation.js';
import { LocalDateScalar } from '../../../common/scalars.js';
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

  @Field(() => GraphQLDateTimeISO, {
    description: "When the person gave the consent: not before the person's birth, not in the future.",
  })
  givenAt: Date;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "First day in force (from 00:00 in the district's time zone). Defaults to the day of givenAt there.",
  })
  validFrom?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      "Last day in force (through 24:00 in the district's time zone), after validFrom. Absent: until withdrawn.",
  })
  validUntil?: string | null;

  @Field(() => ConsentForm)
  form: ConsentForm;

  @Field(() => String, { description: 'Where the signed form or electronic record is kept; not blank.' })
  @Length(1, 200)
  evidenceReference: string;

  @Field(() => String, { description: "A version of the district's information notice (NOTICES_FILE)." })
  @Length(1, 50)
  noticeVersion: string;

  @Field(() => String, { description: 'A language that notice version exists in (ISO 639-1).' })
  @Matches(/^[a-z]{2}$/, { message: 'must be an ISO 639-1 language code, e.g. de' })
  noticeLanguage: string;
}

@InputType()
export class RecordConsentInput extends ConsentTermsInput {
  @Field(() => ID)
  @Matches(UUID_PATTERN, { message: 'must be a person id (UUID)' })
  personId: string;
}

/** Which consent, at the version the officer saw: what every change of one consent names first. */
// An input type only so that type-graphql gives its fields to the inputs below; no argument takes it.
@InputType()
abstract class ConsentVersionInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, {
    description: 'The version the officer saw; refused with CONFLICT when another version is current by now.',
  })
  @Min(1)
  expectedVersion: number;
}

@InputType()
export class WithdrawConsentInput extends ConsentVersionInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  reason?: string | null;
}

@InputType({
  description: 'Voids a consent recorded in error (wrong person, never given): distinct from a withdrawal.',
})
export class VoidConsentInput extends ConsentVersionInput {
  @Field(() => String, { description: 'Why the record is in error; shown beside every disclosure made on it.' })
  @Length(1, 1000)
  reason: string;
}

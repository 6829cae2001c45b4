import { GraphQLDateTimeISO } from 'graphql-scalars';
import { IsOptional, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { Category, Purpose } from '../../../common/domain.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import { DataCategoryEnum, PurposeEnum } from '../entities/consent.entity.js';
import { BasisKind, DisclosureDecision } from '../entities/disclosure.type.js';

/** Narrows the disclosure log; every field is optional and they combine with AND. */
@InputType()
export class DisclosureFilter {
  @Field(() => ID, { nullable: true })
  personId?: string | null;

  @Field(() => String, { nullable: true, description: 'One gateway request: every subgraph that answered it.' })
  @IsOptional()
  @Length(1, 200)
  requestId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Receiving agency, e.g. "jobcenter" or "municipality:08999001".',
  })
  @IsOptional()
  @Length(1, 100)
  agency?: string | null;

  @Field(() => String, { nullable: true, description: 'Pseudonymous officer id.' })
  @IsOptional()
  @Length(1, 200)
  officer?: string | null;

  @Field(() => PurposeEnum, { nullable: true })
  purpose?: Purpose | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'From this time on (inclusive).' })
  from?: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Before this time (exclusive).' })
  to?: Date | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "From 0:00 of this day on the district's clock (DISTRICT_TIME_ZONE), inclusive.",
  })
  fromDay?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "Up to 24:00 of this day on the district's clock, inclusive: fromDay = toDay is that one day.",
  })
  toDay?: string | null;

  @Field(() => DisclosureDecision, { nullable: true })
  decision?: DisclosureDecision | null;

  @Field(() => DataCategoryEnum, {
    nullable: true,
    description: 'Only records that released or refused a field of this category.',
  })
  category?: Category | null;

  @Field(() => BasisKind, { nullable: true, description: 'Only records with a release on this kind of basis.' })
  basis?: BasisKind | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "false: leave out the consent officers' own reads (purposes CONSENT_MANAGEMENT and DATA_SUBJECT_ACCESS, and the registry's log of their looks). Default: as `subgraphs` says.",
  })
  officerReads?: boolean | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Only these logs: county, municipality, jobcenter, socialcare, and consent (the consent officers' own reads). Default: the four data subgraphs, with consent when personId is given.",
  })
  subgraphs?: string[] | null;
}

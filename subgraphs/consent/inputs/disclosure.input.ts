import { GraphQLDateTimeISO } from 'graphql-scalars';
import { IsOptional, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { Purpose } from '../../../common/domain.js';
import { PurposeEnum } from '../entities/consent.entity.js';
import { DisclosureDecision } from '../entities/disclosure.type.js';

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

  @Field(() => DisclosureDecision, { nullable: true })
  decision?: DisclosureDecision | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Only these logs: county, municipality, jobcenter, socialcare, and consent (the consent officers' own reads). Default: the four data subgraphs, with consent when personId is given.",
  })
  subgraphs?: string[] | null;
}

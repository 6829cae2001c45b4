import { Field, ID, Int, ObjectType } from 'type-graphql';
import { graphqlEnum, type ValueOf } from '../../../common/graphql-enum.js';
import type { Category, Purpose } from '../../../common/domain.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import { DataCategoryEnum, PurposeEnum } from './consent.entity.js';

/** On which basis a field is released, or that none applies. */
export const AccessBasis = graphqlEnum('AccessBasis', 'OWN_TASK STATUTE CONSENT NONE');
export type AccessBasis = ValueOf<typeof AccessBasis>;

/**
 * What one agency may see of one category of the person for one purpose right now, decided by the policy
 * code every subgraph decides with (`common/policy/policy.ts`).
 */
/** Whose access, for which purpose, to which category: the key of a cell of the effective-access matrix. */
// An object type only so that type-graphql gives its fields to both; no field returns it, so the schema never shows it.
@ObjectType()
abstract class AccessKey {
  @Field(() => String)
  agency: string;

  @Field(() => PurposeEnum)
  purpose: Purpose;

  @Field(() => DataCategoryEnum)
  category: Category;
}

@ObjectType('AccessCell')
export class AccessCell extends AccessKey {
  @Field(() => Boolean, {
    description: 'For records this agency does not hold as its own task (see ownTaskForOwnRecords).',
  })
  allowed: boolean;

  @Field(() => AccessBasis)
  basis: AccessBasis;

  @Field(() => String, {
    nullable: true,
    description: 'As the disclosure log writes it: OWN_TASK, STATUTE:<entry>, CONSENT:<id>@<version>.',
  })
  basisCode: string | null;

  @Field(() => String, { nullable: true, description: 'FORBIDDEN or CONSENT_REQUIRED when refused.' })
  refusal: string | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => String, { nullable: true })
  statuteId: string | null;

  @Field(() => String, { nullable: true, description: 'The legal reference of the statute entry.' })
  statuteReference: string | null;

  @Field(() => ID, { nullable: true })
  consentId: string | null;

  @Field(() => Int, { nullable: true })
  consentVersion: number | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Last day of the consent named; null: until withdrawn.',
  })
  consentValidUntil: string | null;

  @Field(() => Boolean, {
    description:
      'True where the agency sees its own records of this category by own task, but only for its own residents (municipality) or clients (welfare organisation), which its own subgraph checks.',
  })
  ownTaskForOwnRecords: boolean;
}

/** A cell that a withdrawal, void or change alters or that rests on the consent concerned: before and after. */
@ObjectType('AccessChange')
export class AccessChange extends AccessKey {
  @Field(() => AccessCell)
  before: AccessCell;

  @Field(() => AccessCell)
  after: AccessCell;
}

/** One version of the district's information notice and the languages it exists in (NOTICES_FILE). */
@ObjectType('InformationNotice')
export class InformationNotice {
  @Field(() => String)
  version: string;

  @Field(() => [String])
  languages: string[];
}

/** What a consent form needs to know of the district: its time zone and its information notices. */
@ObjectType('ConsentSettings')
export class ConsentSettings {
  @Field(() => String, { description: 'DISTRICT_TIME_ZONE: validity days are days here; instants are shown here.' })
  timeZone: string;

  @Field(() => [InformationNotice])
  notices: InformationNotice[];
}

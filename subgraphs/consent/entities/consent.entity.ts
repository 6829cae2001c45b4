import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { graphqlEnum, type ValueOf } from '../../../common/graphql-enum.js';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CATEGORIES, PURPOSES, type Category, type Purpose } from '../../../common/domain.js';
import { consentInForce } from '../../../common/policy/policy.js';
import { localDateOf } from '../../../common/district-time.js';
import { LocalDateScalar } from '../../../common/scalars.js';

/** Written or electronic form of a consent (§ 67b Abs. 2 SGB X). */
export const ConsentForm = graphqlEnum('ConsentForm', 'WRITTEN ELECTRONIC', {
  description: 'Form of the consent (§ 67b SGB X).',
});
export type ConsentForm = ValueOf<typeof ConsentForm>;

export const ConsentState = graphqlEnum('ConsentState', 'GIVEN WITHDRAWN VOIDED EXPIRED NOT_YET_VALID');
export type ConsentState = ValueOf<typeof ConsentState>;

export const PurposeEnum = graphqlEnum('Purpose', PURPOSES, {
  description: 'The stated purpose of a request (X-Purpose).',
});
export const DataCategoryEnum = graphqlEnum('DataCategory', CATEGORIES, { description: 'The unit of consent.' });

@ObjectType('ConsentRecorder')
export class ConsentRecorder {
  @Field(() => String, { description: 'Pseudonymous officer id.' })
  officer: string;

  @Field(() => String)
  agency: string;
}

/**
 * One version of a consent record (after ISO/IEC TS 27560 and the Kantara consent receipt). A change makes
 * a new version; earlier versions stay readable. Only the current version decides.
 */
@Entity('consent')
@ObjectType('Consent', { description: "A person's consent to share categories with agencies for purposes." })
export class Consent {
  @PrimaryColumn({ type: 'uuid' })
  @Field(() => ID)
  id: string;

  @PrimaryColumn({ type: 'int' })
  @Field(() => Int)
  version: number;

  @Column({ type: 'boolean', name: 'is_current' })
  isCurrent: boolean;

  @Column({ type: 'uuid', name: 'person_id' })
  @Field(() => ID)
  personId: string;

  @Column({ type: 'text', array: true })
  @Field(() => [String], { description: 'Agencies that may receive the data, e.g. "jobcenter".' })
  recipients: string[];

  @Column({ type: 'text', array: true })
  @Field(() => [PurposeEnum])
  purposes: Purpose[];

  @Column({ type: 'text', array: true })
  @Field(() => [DataCategoryEnum])
  categories: Category[];

  @Column({ type: 'timestamptz', name: 'given_at' })
  @Field(() => GraphQLDateTimeISO)
  givenAt: Date;

  @Column({ type: 'date', name: 'valid_from' })
  @Field(() => LocalDateScalar, { description: "First day in force, from 00:00 in the district's time zone." })
  validFrom: string;

  @Column({ type: 'date', name: 'valid_until', nullable: true })
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "Last day in force, through 24:00 in the district's time zone; null: until withdrawn.",
  })
  validUntil: string | null;

  @Column({ type: 'timestamptz', name: 'withdrawn_at', nullable: true })
  @Field(() => GraphQLDateTimeISO, { nullable: true })
  withdrawnAt: Date | null;

  @Column({ type: 'text', name: 'withdrawal_reason', nullable: true })
  @Field(() => String, { nullable: true })
  withdrawalReason: string | null;

  @Column({ type: 'timestamptz', name: 'voided_at', nullable: true })
  @Field(() => GraphQLDateTimeISO, {
    nullable: true,
    description: 'When the consent was voided as recorded in error (wrong person, never given); it allows nothing.',
  })
  voidedAt: Date | null;

  @Column({ type: 'text', name: 'void_reason', nullable: true })
  @Field(() => String, { nullable: true })
  voidReason: string | null;

  @Column({ type: 'text' })
  @Field(() => ConsentForm)
  form: ConsentForm;

  @Column({ type: 'text', name: 'evidence_reference' })
  @Field(() => String, { description: 'Where the signed form or electronic record is kept.' })
  evidenceReference: string;

  @Column({ type: 'text', name: 'notice_version' })
  @Field(() => String, { description: 'Version of the information notice shown to the person.' })
  noticeVersion: string;

  @Column({ type: 'text', name: 'notice_language' })
  @Field(() => String, { description: 'ISO 639-1 language of the notice shown.' })
  noticeLanguage: string;

  @Column({ type: 'text', name: 'recorded_by_officer' })
  recordedByOfficer: string;

  @Column({ type: 'text', name: 'recorded_by_agency' })
  recordedByAgency: string;

  @Column({ type: 'timestamptz', name: 'recorded_at' })
  @Field(() => GraphQLDateTimeISO)
  recordedAt: Date;
}

/** The state of a consent at a moment; its validity days are days in the district's `timeZone`. */
export function consentState(consent: Consent, now: Date, timeZone: string): ConsentState {
  if (consent.voidedAt) return ConsentState.VOIDED;
  if (consent.withdrawnAt) return ConsentState.WITHDRAWN;
  if (consentInForce(consent, now, timeZone)) return ConsentState.GIVEN;
  return consent.validFrom > localDateOf(now, timeZone) ? ConsentState.NOT_YET_VALID : ConsentState.EXPIRED;
}

/** What a subgraph needs to decide on a consent; served to subgraphs only, never through the gateway. */
@ObjectType('ConsentGrant')
@Directive('@inaccessible')
export class ConsentGrant {
  @Field(() => ID)
  id: string;
  @Field(() => Int)
  version: number;
  @Field(() => ID)
  personId: string;
  @Field(() => [String])
  recipients: string[];
  @Field(() => [String])
  purposes: string[];
  @Field(() => [String])
  categories: string[];
  @Field(() => LocalDateScalar)
  validFrom: string;
  @Field(() => LocalDateScalar, { nullable: true })
  validUntil: string | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true })
  withdrawnAt: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true })
  voidedAt: Date | null;
}

@ObjectType('Person')
@Directive('@key(fields: "id")')
export class PersonConsents {
  @Field(() => ID)
  id: string;
}

import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { SpecialNeedKind } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';

/** A health-related special need (GDPR Art. 9): released to other agencies on explicit consent only. */
@Entity('special_need')
@ObjectType('SpecialNeed')
@Index(['personId'])
export class SpecialNeed extends PersonRecord {
  @Column({ type: 'text', name: 'organisation_id' })
  organisationId: string;

  @Column({ type: 'text' })
  @Field(() => SpecialNeedKind)
  kind: SpecialNeedKind;

  @Column({ type: 'text' })
  @Field(() => String)
  description: string;

  @Column({ type: 'date', name: 'recorded_on' })
  @Field(() => LocalDateScalar)
  recordedOn: string;
}

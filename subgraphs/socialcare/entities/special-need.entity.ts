import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { SpecialNeedKind } from './enums.js';

/** A health-related special need (GDPR Art. 9): released to other agencies on explicit consent only. */
@Entity('special_need')
@ObjectType('SpecialNeed')
export class SpecialNeed {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Index()
  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;

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
